"""The document templates (.docx): volunteer agreement, consent form, one-page presentation, logical
framework. Each language follows its own country's rules and examples, as its lesson does."""
from __future__ import annotations

import datetime
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .common import LOCALES, package_normalise

TEAL = RGBColor(0x0F, 0x5E, 0x57)
GREY = RGBColor(0x55, 0x60, 0x6A)
BOX = "☐"


class Doc:
    """A python-docx document with one language's fonts and a few building blocks."""

    def __init__(self, language: str, *, landscape: bool = False, margins_cm: float = 2.0, size: float = 10.5):
        self.language = language
        self.locale = LOCALES[language]
        self.document = Document()
        section = self.document.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(margins_cm))
        for style_name in ("Normal", "Heading 1", "Heading 2", "Title", "Table Grid", "List Bullet"):
            style = self.document.styles[style_name]
            self._font(style.font, size if style_name == "Normal" else None)
        normal = self.document.styles["Normal"]
        normal.paragraph_format.space_after = Pt(4)
        language_tag = {"fr": "fr-FR", "en": "en-GB", "zh-hans": "zh-CN"}[language]
        normal.element.get_or_add_rPr()
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), language_tag)
        lang.set(qn("w:eastAsia"), "zh-CN")
        normal.element.rPr.append(lang)
        for heading in ("Heading 1", "Heading 2", "Title"):
            self.document.styles[heading].font.color.rgb = TEAL
        self.document.styles["Heading 1"].font.size = Pt(13)
        self.document.styles["Heading 2"].font.size = Pt(11.5)
        self.document.styles["Title"].font.size = Pt(18)

    def _font(self, font, size: float | None) -> None:
        font.name = self.locale.font
        # python-docx names the Latin font only; Chinese text takes the East Asian one.
        r_fonts = font._element.get_or_add_rPr().get_or_add_rFonts()  # noqa: SLF001
        r_fonts.set(qn("w:eastAsia"), "等线" if self.locale.cjk else "SimSun")
        if size:
            font.size = Pt(size)

    def title(self, text: str, subtitle: str = "") -> None:
        self.document.add_paragraph(text, style="Title")
        if subtitle:
            self.note(subtitle)

    def heading(self, text: str, level: int = 1) -> None:
        paragraph = self.document.add_heading(text, level=level)
        paragraph.paragraph_format.space_before = Pt(8 if level == 1 else 6)
        paragraph.paragraph_format.space_after = Pt(3)
        paragraph.paragraph_format.keep_with_next = True

    def para(self, text: str = "", *, bold_lead: str = "", italic=False, size: float | None = None, colour=None):
        paragraph = self.document.add_paragraph()
        if bold_lead:
            run = paragraph.add_run(bold_lead)
            run.bold = True
        run = paragraph.add_run(text)
        run.italic = italic
        if size:
            run.font.size = Pt(size)
        if colour is not None:
            run.font.color.rgb = colour
        return paragraph

    def note(self, text: str) -> None:
        self.para(text, italic=True, size=9, colour=GREY)

    def bullets(self, items: list[str]) -> None:
        for item in items:
            paragraph = self.document.add_paragraph(style="List Bullet")
            paragraph.add_run(item)
            paragraph.paragraph_format.space_after = Pt(2)

    def field(self, label: str, value: str = "", *, width_cm: float = 0) -> None:
        """A line to fill in: "Label : ______" (or the example value, in grey)."""
        paragraph = self.document.add_paragraph()
        run = paragraph.add_run(label + (" : " if self.language == "fr" else "：" if self.locale.cjk else ": "))
        run.bold = True
        filler = paragraph.add_run(value if value else "_" * 40)
        if value:
            filler.font.color.rgb = GREY
        paragraph.paragraph_format.space_after = Pt(3)

    def table(self, rows: list[list[str]], widths_cm: list[float], *, header: bool = True, size: float = 9.5,
              first_column_bold: bool = False) -> None:
        table = self.document.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for row_index, values in enumerate(rows):
            for column_index, value in enumerate(values):
                cell = table.cell(row_index, column_index)
                cell.width = Cm(widths_cm[column_index])
                paragraph = cell.paragraphs[0]
                run = paragraph.add_run(value)
                run.font.size = Pt(size)
                if (header and row_index == 0) or (first_column_bold and column_index == 0):
                    run.bold = True
                if header and row_index == 0:
                    shading = OxmlElement("w:shd")
                    shading.set(qn("w:val"), "clear")
                    shading.set(qn("w:color"), "auto")
                    shading.set(qn("w:fill"), "E3EFEC")
                    cell._tc.get_or_add_tcPr().append(shading)  # noqa: SLF001
        for column_index, width in enumerate(widths_cm):
            table.columns[column_index].width = Cm(width)
        if header:
            # The header row repeats on every page.
            tr_pr = table.rows[0]._tr.get_or_add_trPr()  # noqa: SLF001
            repeat = OxmlElement("w:tblHeader")
            repeat.set(qn("w:val"), "true")
            tr_pr.append(repeat)
        self.document.add_paragraph().paragraph_format.space_after = Pt(2)

    def signatures(self, labels: list[str], place_date: str) -> None:
        self.para(place_date)
        self.table([list(labels), ["\n\n" for _label in labels]], [8.0] * len(labels), header=True)

    def page_break(self) -> None:
        self.document.add_page_break()

    def finish(self, *, title: str) -> bytes:
        props = self.document.core_properties
        props.title = title
        props.author = "Essor"
        props.last_modified_by = "Essor"
        props.revision = 1
        props.language = {"fr": "fr-FR", "en": "en-GB", "zh-hans": "zh-CN"}[self.language]
        props.created = props.modified = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
        props.comments = ""
        props.keywords = ""
        props.subject = ""
        props.category = ""
        out = io.BytesIO()
        self.document.save(out)
        return package_normalise(out.getvalue())


# --- Volunteer agreement --------------------------------------------------------------------------------

AGREEMENT = {
    "fr": {
        "file_title": "Charte d'engagement bénévole",
        "title": "Charte d'engagement bénévole",
        "intro": "Une page signée des deux côtés pour éviter les malentendus. Aucun texte ne l'impose. Ce n'est pas un "
                 "contrat de travail : la personne bénévole n'est pas rémunérée et n'est pas sous les ordres de "
                 "l'association. Adaptez les passages entre crochets.",
        "parties": [("L'association", ["Nom", "Adresse", "Personne référente (nom, téléphone)"]),
                    ("La personne bénévole", ["Nom et prénom", "Téléphone, e-mail", "Personne à prévenir en cas d'urgence"])],
        "sections": [
            ("La mission", None, ["Mission (voir la fiche de mission)", "Lieu", "Disponibilités prévues",
                                  "Date de début", "Durée ou date de premier bilan"]),
            ("L'association s'engage à", [
                "accueillir la personne, lui présenter le projet associatif, l'équipe et les règles de fonctionnement ;",
                "lui confier une mission qui correspond à ce qui a été convenu, avec une personne référente ;",
                "la former si la mission le demande ;",
                "l'assurer pendant ses activités (responsabilité civile et dommages corporels) : [nom de l'assureur, "
                "n° de contrat] ;",
                "rembourser les frais engagés pour l'association, sur justificatifs et selon les règles votées par le "
                "bureau ; la personne qui y renonce peut, si l'association délivre des reçus fiscaux, les déduire comme "
                "un don ;",
                "faire le point avec elle au moins une fois par an, et lui remettre une attestation si elle le demande.",
            ], None),
            ("La personne bénévole s'engage à", [
                "respecter le projet de l'association, ses règles et les personnes accompagnées ;",
                "garder confidentiel ce qu'elle apprend sur les personnes accompagnées et sur l'association ;",
                "prévenir la personne référente en cas d'absence ou d'empêchement ;",
                "suivre les formations prévues pour sa mission ;",
                "rendre les clés, les accès et les documents quand elle arrête.",
            ], None),
            ("Données personnelles", [
                "L'association garde le nom, les coordonnées, les disponibilités et la personne à prévenir, pour organiser "
                "les activités, tant que la personne est bénévole et [durée] ensuite (RGPD).",
                "Seules les personnes qui organisent les activités y ont accès. La personne bénévole peut les consulter, "
                "les corriger ou demander leur suppression auprès de : [nom, e-mail].",
                "Photos : uniquement avec son accord, demandé pour chaque usage.",
            ], None),
            ("Fin de l'engagement", [
                "Chacun peut y mettre fin à tout moment, en prévenant l'autre si possible [délai].",
                "Un entretien de départ est proposé ; l'association ferme les accès et supprime les données qui ne sont "
                "plus utiles.",
            ], None),
            ("Pour une personne mineure", [
                "Accord écrit des parents ou du représentant légal, et mission adaptée à son âge : "
                "nom et signature du représentant légal ______________________",
            ], None),
        ],
        "place_date": "Fait à ____________________, le ____ / ____ / ________, en deux exemplaires.",
        "signatures": ["Pour l'association (nom, fonction, signature)", "La personne bénévole (signature)"],
    },
    "en": {
        "file_title": "Volunteer agreement",
        "title": "Volunteer agreement",
        "intro": "One page signed by both sides prevents many misunderstandings. No law requires it. It is not an "
                 "employment contract: the volunteer is not paid and does not work under the association's orders. "
                 "Adapt the passages in square brackets.",
        "parties": [("The association", ["Name", "Address", "Contact person (name, phone)"]),
                    ("The volunteer", ["Full name", "Phone, email", "Emergency contact"])],
        "sections": [
            ("The role", None, ["Role (see the role description)", "Place", "Expected availability", "Start date",
                                "Length, or date of the first review"]),
            ("The association will", [
                "welcome the volunteer and introduce the association's purpose, the team and how things work;",
                "give them the role that was agreed, with a named contact person;",
                "train them where the role needs it;",
                "insure them during their activities (public liability and personal injury): [insurer, policy number];",
                "reimburse expenses incurred on its behalf, against receipts and under the rules set by the board; a "
                "volunteer who waives reimbursement may, if the association can issue tax receipts, deduct the expenses "
                "as a donation;",
                "review the role with them at least once a year, and give them a certificate if they ask.",
            ], None),
            ("The volunteer will", [
                "respect the association's purpose, its rules and the people it serves;",
                "keep confidential what they learn about the people served and about the association;",
                "tell the contact person when they cannot come;",
                "attend the training planned for the role;",
                "return keys, access and documents when they stop.",
            ], None),
            ("Personal data", [
                "The association keeps the volunteer's name, contact details, availability and emergency contact to "
                "organise activities, while they volunteer and for [period] afterwards (GDPR).",
                "Only the people who organise activities can see them. The volunteer can see, correct or have them "
                "deleted by asking: [name, email].",
                "Photos: only with their consent, asked for each use.",
            ], None),
            ("Ending the agreement", [
                "Either side can end it at any time, giving notice where possible [notice].",
                "An exit conversation is offered; the association closes access and deletes the data it no longer needs.",
            ], None),
            ("For a volunteer under 18", [
                "Written consent of the parents or legal guardian, and a role suited to their age: "
                "name and signature of the legal guardian ______________________",
            ], None),
        ],
        "place_date": "Signed at ____________________, on ____ / ____ / ________, in two copies.",
        "signatures": ["For the association (name, role, signature)", "The volunteer (signature)"],
    },
    "zh-hans": {
        "file_title": "志愿服务协议",
        "title": "志愿服务协议",
        "intro": "依据《志愿服务条例》（2017年）第十四条签订。志愿服务自愿、无偿，本协议不是劳动合同。"
                 "【】内的内容请按实际情况修改。",
        "parties": [("甲方（志愿服务组织）", ["名称", "地址", "联系人及电话"]),
                    ("乙方（志愿者）", ["姓名", "联系电话", "紧急联系人及电话"])],
        "sections": [
            ("一、服务内容、时间和地点", None, ["服务岗位（见岗位说明）", "服务地点", "服务时间", "起始日期",
                                            "服务期限或首次回顾日期"]),
            ("二、甲方的责任", [
                "介绍机构的宗旨、团队和规章制度，安排岗前培训，指定一名带教或联系人；",
                "提供服务所需的工作条件和安全保障措施，如实告知服务中可能发生的风险；",
                "安排可能发生人身危险的服务前，为乙方购买相应的人身意外伤害保险（第十七条）：【保险公司、保单号】；",
                "凭票承担或报销乙方为服务产生的合理费用（如交通、餐费），不支付报酬；",
                "如实记录乙方的服务情况（可录入全国志愿服务信息系统），乙方需要时无偿出具证明（第十九条；民政部令第67号）；"
                "每年至少和乙方回顾一次服务情况。",
            ], None),
            ("三、乙方的责任", [
                "遵守甲方的规章制度，尊重服务对象；",
                "对服务中知悉的服务对象个人信息和机构内部信息保密；",
                "不能按时参加服务时，提前告知联系人；",
                "参加岗位所需的培训；",
                "结束服务时交还钥匙、账号和资料。",
            ], None),
            ("四、个人信息", [
                "甲方只收集必需的信息（姓名、电话、可服务时间、紧急联系人），妥善保存，限定查看人员，不再需要时删除"
                "（《个人信息保护法》）；发布乙方照片或故事前，另行征得乙方同意。",
            ], None),
            ("五、协议的变更和终止", [
                "任何一方都可以随时终止本协议，尽量提前【天数】天告知对方。",
                "结束时，甲方安排交接和离开前的谈话，收回相关权限，删除不再需要保存的个人信息。",
            ], None),
            ("六、未成年志愿者", [
                "安排未成年人参加志愿服务，应与其年龄、身体状况相适应（第十五条），并事先取得监护人的书面同意："
                "监护人姓名和签字 ______________________",
            ], None),
        ],
        "place_date": "本协议一式两份，双方各执一份，自签字之日起生效。签订日期：______年____月____日",
        "signatures": ["甲方（盖章），负责人签字", "乙方（志愿者）签字"],
    },
}


def volunteer_agreement(language: str) -> bytes:
    data = AGREEMENT[language]
    # One page, as the lesson says: small margins and type, the two parties side by side.
    doc = Doc(language, margins_cm=1.3, size=9)
    doc.document.styles["Heading 2"].font.size = Pt(10.5)
    doc.title(data["title"])
    doc.note(data["intro"])
    doc.table([[heading for heading, _labels in data["parties"]],
               *[[labels[index] + ("：" if doc.locale.cjk else " :" if language == "fr" else ":") for _heading, labels in
                  data["parties"]] for index in range(3)]], [9.2, 9.2], size=9)
    for heading, items, fields in data["sections"]:
        doc.heading(heading, 2)
        if fields:
            doc.table([[label, ""] for label in fields], [6.0, 12.4], header=False, size=9, first_column_bold=True)
        if items:
            doc.bullets(items)
    doc.signatures(data["signatures"], data["place_date"])
    return doc.finish(title=data["file_title"])


# --- Consent form (images and stories) ------------------------------------------------------------------

CONSENT = {
    "fr": {
        "file_title": "Formulaire de consentement (image et témoignage)",
        "title": "Autorisation d'utiliser mon image et mon témoignage",
        "intro": "Chacun a droit au respect de sa vie privée et de son image (Code civil, art. 9) ; une photo où l'on "
                 "reconnaît quelqu'un est une donnée personnelle (RGPD). Demandez l'accord à un autre moment que celui où "
                 "la personne reçoit une aide, et dites où et combien de temps l'image sera publiée.",
        "association": "Association (nom, adresse)",
        "fields": ["Nom et prénom de la personne", "Pour un enfant : nom des deux parents ou du tuteur, qui décident "
                   "ensemble en l'associant selon son âge (loi du 19 février 2024)"],
        "uses_label": "J'accepte l'usage de (cochez) :",
        "uses": ["photo", "vidéo", "témoignage écrit", "prénom", "nom de famille"],
        "where_label": "Sur (cochez) :",
        "where": ["site de l'association", "réseaux sociaux", "lettre d'information", "rapport d'activité",
                  "dossiers de financement"],
        "duration": "Pour une durée de (par exemple : 2 ans à partir de la signature)",
        "anonymous_label": "Anonymisation (prénom changé, visage caché, aucune adresse) :",
        "anonymous": ["oui", "non"],
        "withdraw": "Je peux retirer mon accord à tout moment, sans avoir à me justifier, auprès de (nom, téléphone, "
                    "e-mail). La publication est alors retirée dès que possible.",
        "withdraw_field": "Contact",
        "place_date": "Fait à ____________________, le ____ / ____ / ________",
        "signatures": ["La personne (ou les deux parents, ou le tuteur)", "Pour l'association"],
    },
    "zh-hans": {
        "file_title": "知情同意书（肖像和故事）",
        "title": "肖像和故事使用知情同意书",
        "intro": "《民法典》第一千零一十九条规定，未经肖像权人同意，不得制作、使用、公开其肖像；能认出本人的照片和故事"
                 "也是个人信息，受《个人信息保护法》保护。不满十四周岁儿童的个人信息属于敏感个人信息，须取得父母或其他"
                 "监护人的同意。请不要在对方正在接受帮助时请他签字，并说明会发在哪里、保留多久。",
        "association": "机构名称和地址",
        "fields": ["当事人真实姓名", "未成年人：父母或其他监护人姓名"],
        "uses_label": "我同意使用（请勾选）：",
        "uses": ["照片", "视频", "文字故事", "真实姓名", "只用化名"],
        "where_label": "使用范围（请勾选）：",
        "where": ["微信公众号", "视频号等社交媒体", "年度报告", "项目申报材料", "宣传展板"],
        "duration": "使用期限（例如：自签字之日起两年）",
        "anonymous_label": "是否需要匿名处理（化名、不露脸、不写地址）：",
        "anonymous": ["是", "否"],
        "withdraw": "我可以随时撤回同意，无须说明理由。撤回后，机构会尽快删除相关内容。联系人：",
        "withdraw_field": "联系人姓名、电话",
        "place_date": "签字日期：______年____月____日",
        "signatures": ["当事人（或监护人）签字", "机构经办人签字"],
    },
}


def consent_form(language: str) -> bytes:
    data = CONSENT[language]
    doc = Doc(language, margins_cm=2.0, size=10.5)
    doc.title(data["title"])
    doc.note(data["intro"])
    doc.field(data["association"])
    for label in data["fields"]:
        doc.field(label)
    doc.para(data["uses_label"], bold_lead="")
    doc.para("    ".join(f"{BOX} {item}" for item in data["uses"]))
    doc.para(data["where_label"])
    doc.para("    ".join(f"{BOX} {item}" for item in data["where"]))
    doc.field(data["duration"])
    doc.para(data["anonymous_label"] + "   " + "    ".join(f"{BOX} {item}" for item in data["anonymous"]))
    doc.para(data["withdraw"])
    doc.field(data["withdraw_field"])
    doc.para()
    doc.signatures(data["signatures"], data["place_date"])
    return doc.finish(title=data["file_title"])


# --- One-page presentation -------------------------------------------------------------------------------

PRESENTATION = {
    "fr": {
        "file_title": "Présentation d'une page",
        "header": "[Nom de l'association]",
        "header_line": "[Statut : association loi 1901] · créée en [année] · [territoire] · [contact : e-mail, téléphone, site]",
        "help": "Une seule page, à laisser sur la table ou à envoyer par e-mail. Remplacez chaque passage entre crochets ; "
                "l'exemple en gris vient de la leçon (jardins partagés, exemple fictif). Supprimez cette ligne.",
        "blocks": [
            ("Notre mission", "[Le message clé en une phrase.]",
             "Faire du jardin un lieu où les habitant·es du quartier se rencontrent et cultivent ensemble."),
            ("Le problème", "[Deux lignes, avec un fait dont la source est citée.]",
             "Le quartier n'a plus aucun lieu de rencontre depuis la fermeture de la salle des fêtes (mairie, 2025)."),
            ("Ce que nous faisons", "[Trois activités.]",
             "Un jardin partagé ouvert trois jours par semaine · des ateliers avec l'école · une fête des récoltes."),
            ("Nos résultats", "[Trois chiffres de l'année dernière, tirés de vos registres.]",
             "64 jardinier·es inscrits · 22 ateliers avec 180 enfants · 410 kg de légumes partagés (registre 2026)."),
            ("Notre équipe", "[Bénévoles, salarié·es, composition du conseil d'administration.]",
             "25 bénévoles réguliers, aucun salarié ; un conseil d'administration de 7 membres."),
            ("Notre budget", "[Montant annuel et principales ressources.]",
             "6 500 € : cotisations 30 %, ville 45 %, fondation locale 25 %."),
            ("Ce que nous proposons", "[Un projet, un montant, un partenariat, un local.]",
             "Un terrain de 800 m² mis à disposition par la ville, et 3 000 € pour les outils."),
        ],
        "quote": "« [Une citation d'une personne accompagnée, avec son accord.] »",
        "quote_example": "« Avant, je ne connaissais personne dans l'immeuble. » — Fatima, jardinière depuis 2025",
        "photo": "[Photo, avec l'accord des personnes]",
    },
    "zh-hans": {
        "file_title": "一页纸机构介绍",
        "header": "【机构名称】",
        "header_line": "【登记类型：如社会团体、社会服务机构】·成立于【年份】·服务地区【】·联系方式【电话、公众号】",
        "help": "单面一页，可以当面留下，也可以通过微信或邮件发送。请替换方括号里的内容；灰色的例子来自课程中的案例"
                "（南京社区花园，虚构）。用完删除这一行。",
        "blocks": [
            ("使命", "【一句话的核心信息。】", "让社区花园成为老旧小区居民见面、一起种植的地方。"),
            ("问题", "【两行字，附一个注明来源的事实。】", "小区没有居民交流的公共空间，闲置空地长期堆放杂物（街道调研，2025年）。"),
            ("我们做什么", "【三项主要服务。】", "每周三天开放的社区花园·与小学合作的自然课·一年一次的丰收节。"),
            ("成效", "【去年的三个数字，来自台账。】", "登记居民64户·自然课22次、180名儿童参加·分享蔬菜410公斤（2026年台账）。"),
            ("团队", "【志愿者人数、全职人员人数、理事会构成。】", "25名常态志愿者，无全职人员；理事会7人。"),
            ("预算", "【年度预算和主要资金来源。】", "年度预算5万元：社区微基金40%，街道购买服务35%，居民捐赠25%。"),
            ("我们希望合作的内容", "【一个项目、一笔资助、一项合作或一处场地。】",
             "街道提供一块800平方米的闲置空地，以及2万元工具采购资金。"),
        ],
        "quote": "“【一句服务对象的原话，已征得同意。】”",
        "quote_example": "“以前楼里谁也不认识，现在见面都打招呼。”——王阿姨，2025年起参加花园活动",
        "photo": "【一张照片，已获当事人同意】",
    },
}


def one_page_presentation(language: str) -> bytes:
    data = PRESENTATION[language]
    doc = Doc(language, margins_cm=1.5, size=10)
    heading = doc.document.add_paragraph(style="Title")
    heading.add_run(data["header"])
    doc.para(data["header_line"], size=9.5)
    doc.note(data["help"])
    rows = []
    for label, placeholder, example in data["blocks"]:
        rows.append([label, f"{placeholder}\n{example}"])
    table = doc.document.add_table(rows=len(rows), cols=2)
    table.style = doc.document.styles["Table Grid"]
    table.autofit = False
    for index, (label, text) in enumerate(rows):
        left, right = table.cell(index, 0), table.cell(index, 1)
        left.width, right.width = Cm(4.2), Cm(13.8)
        run = left.paragraphs[0].add_run(label)
        run.bold = True
        run.font.color.rgb = TEAL
        placeholder, example = text.split("\n", 1)
        right.paragraphs[0].add_run(placeholder)
        example_run = right.add_paragraph().add_run(example)
        example_run.font.color.rgb = GREY
        example_run.italic = True
        example_run.font.size = Pt(9)
    table.columns[0].width, table.columns[1].width = Cm(4.2), Cm(13.8)
    doc.para()
    doc.para(data["quote"], italic=True)
    doc.para(data["quote_example"], italic=True, size=9, colour=GREY)
    doc.para(data["photo"], colour=GREY)
    return doc.finish(title=data["file_title"])


# --- Logical framework --------------------------------------------------------------------------------------

LOGFRAME = {
    "fr": {
        "file_title": "Cadre logique",
        "title": "Cadre logique du projet",
        "intro": "Se lit de bas en haut : si les activités sont menées et si les hypothèses se vérifient, alors les résultats "
                 "sont atteints, et ainsi de suite jusqu'à l'objectif global. Un seul objectif spécifique ; chaque indicateur "
                 "a une valeur de départ, une cible et une date.",
        "project": ["Projet", "Durée", "Porteur"],
        "headers": ["", "Logique d'intervention", "Indicateurs (départ, cible, date)", "Sources de vérification", "Hypothèses"],
        "levels": ["Objectif global", "Objectif spécifique", "Résultat 1", "Résultat 2", "Résultat 3", "Activités"],
        "blank": "…",
        "means": "moyens : …",
        "budget": "budget du projet",
        "example_title": "Exemple : Clic solidaire (exemple fictif de la leçon, projet de douze mois)",
        "example": [
            ["Objectif global", "Améliorer l'accès aux droits des seniors du quartier",
             "baisse des abandons de démarches signalés au CCAS", "analyse des besoins sociaux suivante", "—"],
            ["Objectif spécifique", "Les seniors accompagnés font seuls leurs démarches courantes en ligne",
             "60 % d'entre eux, six mois après leur dernier rendez-vous (départ : 0)", "questionnaire à l'entrée et à six mois",
             "les démarches restent faisables avec une aide ponctuelle"],
            ["Résultat 1", "Deux permanences hebdomadaires tenues au cœur du quartier", "80 permanences ; 180 seniors accueillis",
             "cahier de permanence, feuilles de présence", "la mairie maintient le prêt de la salle"],
            ["Résultat 2", "Douze bénévoles formés à l'accompagnement numérique", "12 bénévoles formés, 10 actifs à la fin",
             "attestations de formation, planning", "les bénévoles restent disponibles le matin"],
            ["Activités", "Former les bénévoles ; tenir les permanences ; prêter 4 tablettes ; orienter vers France services",
             "moyens : une coordinatrice à 0,3 équivalent temps plein, salle, tablettes", "budget du projet", "—"],
        ],
    },
    "zh-hans": {
        "file_title": "逻辑框架表",
        "title": "项目逻辑框架表",
        "intro": "自下而上阅读：如果完成了活动，并且假设成立，那么就能实现产出；依此类推，直到总目标。只写一个具体目标；"
                 "每个指标都写明基线值、目标值和时间。",
        "project": ["项目名称", "项目周期", "申报机构"],
        "headers": ["", "干预逻辑", "指标（基线、目标、时间）", "验证方法", "重要假设"],
        "levels": ["总目标", "具体目标", "产出1", "产出2", "产出3", "活动"],
        "blank": "……",
        "means": "投入：……",
        "budget": "项目预算",
        "example_title": "案例：南京安全守护项目（课程中的虚构案例，项目周期12个月）",
        "example": [
            ["总目标", "提高街道独居老人的居家安全和生活质量", "街道独居老人意外未及时发现的情况减少", "社区和社工站的记录", "—"],
            ["具体目标", "参与项目的独居老人在家发生意外时能及时得到帮助", "发生意外的，90%在1小时内得到响应（基线：无统一响应）",
             "呼叫平台响应记录、探访记录", "老人愿意使用设备"],
            ["产出1", "100户独居老人安装紧急呼叫设备并学会使用", "100户安装；90%能独立完成一次测试呼叫", "安装验收单、测试记录",
             "子女或监护人同意安装"],
            ["产出2", "建立每周一次的志愿者探访", "40名志愿者完成培训；全年探访不少于4000人次", "培训签到表、探访记录表",
             "社区持续提供活动室"],
            ["活动", "入户评估；安装设备；志愿者培训；每周探访；每季度个案会商", "投入：项目社工1名（半职）、督导、设备、志愿者",
             "项目预算", "—"],
        ],
    },
}


def logframe(language: str) -> bytes:
    data = LOGFRAME[language]
    doc = Doc(language, landscape=True, margins_cm=1.5, size=10)
    doc.title(data["title"])
    doc.note(data["intro"])
    for label in data["project"]:
        doc.field(label)
    widths = [3.2, 6.4, 6.0, 5.2, 5.8]
    blank = data["blank"]
    rows = [data["headers"]]
    for level in data["levels"]:
        if level == data["levels"][-1]:
            rows.append([level, blank, data["means"], data["budget"], blank])
        elif level == data["levels"][0]:
            rows.append([level, blank, blank, blank, "—"])
        else:
            rows.append([level, blank, blank, blank, blank])
    doc.table(rows, widths, size=10, first_column_bold=True)
    doc.page_break()
    doc.heading(data["example_title"], 2)
    doc.table([data["headers"], *data["example"]], widths, size=9.5, first_column_bold=True)
    return doc.finish(title=data["file_title"])
