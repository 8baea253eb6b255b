"""The spreadsheet templates (.xlsx): annual budget, 12-month cash plan, bank reconciliation, editorial
calendar. Each language has its own example, the one of its lesson (euros in French, yuan in Chinese)."""
from __future__ import annotations

import datetime

from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from .common import HEAD_FILL, INPUT_FILL, SECTION_FILL, TOTAL_FILL, name_define, workbook_finish, workbook_new

# --- Annual budget ---------------------------------------------------------------------------------

BUDGET = {
    "fr": {
        "file_title": "Budget annuel",
        "sheet": "Budget",
        "title": "Budget prévisionnel {year} — Atelier vélo du quartier (exemple fictif)",
        "subtitle": "Une ligne par poste. Remplacez l'exemple par vos chiffres : les cellules jaunes se saisissent, les "
                    "totaux se calculent.",
        "year": 2027,
        "headers": ["Activité", "Poste", "Charges", "Produits", "Base du calcul", "Certitude (produits)"],
        "classes": ["acquise", "probable", "espérée"],
        "rows": [
            ("Atelier de réparation", "Pièces détachées", 2400, None, "réalisé de l'an passé (2 180 €) + 10 %", None),
            ("Atelier de réparation", "Outillage", 800, None, "devis du fournisseur, 2 établis", None),
            ("Atelier de réparation", "Participation aux réparations", None, 3000, "600 réparations × 5 €", "probable"),
            ("Bourse aux vélos", "Location de la salle", 300, None, "tarif municipal, 1 journée", None),
            ("Bourse aux vélos", "Affiches et communication", 500, None, "devis de l'imprimeur", None),
            ("Bourse aux vélos", "Droits de dépôt et commissions", None, 1400, "70 vélos × 20 €", "probable"),
            ("Sorties et animations", "Location d'un minibus", 500, None, "2 sorties × 250 €", None),
            ("Sorties et animations", "Goûters et fournitures", 200, None, "2 sorties × 100 €", None),
            ("Sorties et animations", "Participation des familles", None, 200, "40 personnes × 5 €", "probable"),
            ("Fonctionnement", "Assurance", 450, None, "contrat en cours", None),
            ("Fonctionnement", "Frais bancaires", 120, None, "relevés de l'an passé", None),
            ("Fonctionnement", "Téléphone et internet", 250, None, "abonnement, 12 mois", None),
            ("Fonctionnement", "Fournitures et petit matériel", 480, None, "réalisé de l'an passé", None),
            ("Fonctionnement", "Cotisations", None, 1200, "80 adhérent·es × 15 €", "probable"),
            ("Atelier de réparation", "Subvention de la ville (2e établi)", None, 1500, "dossier déposé, pas de réponse",
             "espérée"),
            ("Fonctionnement", "FDVA fonctionnement-innovation", None, 2000, "dossier déposé, pas de réponse", "espérée"),
        ],
        "activities": ["Atelier de réparation", "Bourse aux vélos", "Sorties et animations", "Fonctionnement"],
        "blank_rows": 6,
        "summary_title": "Synthèse par activité (sans les recettes espérées)",
        "summary_headers": ["Activité", "Charges", "Produits", "Solde"],
        "total": "Total",
        "lines": {
            "expenses": "Total des charges",
            "secured": "Produits acquis et probables",
            "balance": "Solde sans les recettes espérées",
            "hoped": "Recettes espérées (hors total)",
            "balance_all": "Solde si les recettes espérées arrivent",
        },
        "note": "Règle : le budget doit tenir sans les recettes espérées. Décidez à l'avance ce que vous ferez si elles "
                "arrivent. Le bénévolat valorisé se présente à part : ce n'est pas de l'argent en banque.",
    },
    "zh-hans": {
        "file_title": "年度预算表",
        "sheet": "年度预算",
        "title": "{year}年度预算——社区读书会（虚构案例）",
        "subtitle": "每个项目一行。把示例换成您机构的数字：黄色单元格填写，合计自动计算。",
        "year": 2027,
        "headers": ["活动", "项目", "支出", "收入", "计算依据", "确定程度（收入）"],
        "classes": ["已确定", "较可能", "待争取"],
        "rows": [
            ("亲子共读", "绘本采购", 3000, None, "上一年实际2730元＋10%", None),
            ("亲子共读", "活动材料和文具", 2400, None, "每月200元×12个月", None),
            ("亲子共读", "场地布置和印刷", 1800, None, "每季度450元×4次", None),
            ("亲子共读", "志愿者交通、餐费报销", 1200, None, "凭票报销，按上一年实际", None),
            ("亲子共读", "活动保险", 600, None, "按参与人数投保", None),
            ("亲子共读", "街道购买服务（亲子阅读）", None, 8000, "协议已签订", "已确定"),
            ("亲子共读", "家长活动费", None, 3000, "上一年实际", "较可能"),
            ("外出参观（两次）", "租车", 2000, None, "2次×1000元", None),
            ("外出参观（两次）", "门票", 1000, None, "2次×50人×10元", None),
            ("社区图书角", "图书采购", 3500, None, "书单报价", None),
            ("社区图书角", "书架和维护", 1500, None, "供应商报价", None),
            ("社区图书角", "社区微基金资助", None, 6000, "资助协议已签订", "已确定"),
            ("志愿者培训", "培训讲师和场地", 1200, None, "2次×600元", None),
            ("志愿者培训", "培训资料", 800, None, "40人×20元", None),
            ("志愿者培训", "合作单位培训支持", None, 500, "上一年实际", "较可能"),
            ("机构运营", "办公用品", 1200, None, "上一年实际", None),
            ("机构运营", "通讯费", 600, None, "每月50元×12个月", None),
            ("机构运营", "代管服务费", 600, None, "代管协议", None),
            ("机构运营", "打印和宣传", 600, None, "上一年实际", None),
            ("机构运营", "小额捐赠", None, 2500, "上一年实际2300元，略有增加", "较可能"),
            ("外出参观（两次）", "基金会小额资助", None, 8000, "已递交申请，尚未批复", "待争取"),
        ],
        "activities": ["亲子共读", "外出参观（两次）", "社区图书角", "志愿者培训", "机构运营"],
        "blank_rows": 6,
        "summary_title": "按活动汇总（不计“待争取”收入）",
        "summary_headers": ["活动", "支出", "收入", "差额"],
        "total": "合计",
        "lines": {
            "expenses": "支出合计",
            "secured": "已确定和较可能的收入",
            "balance": "不计“待争取”收入的差额",
            "hoped": "待争取收入（不计入合计）",
            "balance_all": "如果“待争取”收入到位的差额",
        },
        "note": "原则：不计入“待争取”收入时，预算也要能维持；提前决定这笔钱到了用来做什么。志愿服务折算的价值单独列出，"
                "它不是账上的钱。",
    },
}


def annual_budget(language: str) -> bytes:
    data = BUDGET[language]
    workbook, ws, sheet, locale = workbook_new(data, language)
    header = 4
    sheet.header_row(header, data["headers"])
    first = header + 1
    rows = data["rows"] + [(None,) * 6] * data["blank_rows"]
    last = first + len(rows) - 1
    for offset, (activity, item, expense, income, basis, certainty) in enumerate(rows):
        row = first + offset
        sheet.put(f"A{row}", activity, box=True, fill=INPUT_FILL, wrap=True)
        sheet.put(f"B{row}", item, box=True, fill=INPUT_FILL, wrap=True)
        sheet.put(f"C{row}", expense, box=True, fill=INPUT_FILL, fmt=locale.money)
        sheet.put(f"D{row}", income, box=True, fill=INPUT_FILL, fmt=locale.money)
        sheet.put(f"E{row}", basis, box=True, fill=INPUT_FILL, wrap=True)
        sheet.put(f"F{row}", certainty, box=True, fill=INPUT_FILL)
    classes = data["classes"]
    validation = DataValidation(type="list", formula1='"' + ",".join(classes) + '"', allow_blank=True)
    validation.add(f"F{first}:F{last}")
    ws.add_data_validation(validation)
    activities = DataValidation(type="list", formula1='"' + ",".join(data["activities"]) + '"', allow_blank=True,
                                showErrorMessage=False)
    activities.add(f"A{first}:A{last}")
    ws.add_data_validation(activities)

    expenses, incomes, certainty_col, activity_col = (f"$C${first}:$C${last}", f"$D${first}:$D${last}",
                                                      f"$F${first}:$F${last}", f"$A${first}:$A${last}")
    hoped = classes[2]
    top = last + 2
    lines = data["lines"]
    totals = [
        ("expenses", f"=SUM({expenses})", "total_expenses"),
        ("secured", f'=SUM({incomes})-SUMIF({certainty_col},"{hoped}",{incomes})', "secured_income"),
        ("balance", f"=C{top + 1}-C{top}", "balance_without_hoped"),
        ("hoped", f'=SUMIF({certainty_col},"{hoped}",{incomes})', "hoped_income"),
        ("balance_all", f"=C{top + 2}+C{top + 3}", "balance_with_hoped"),
    ]
    for offset, (key, formula, name) in enumerate(totals):
        row = top + offset
        ws.merge_cells(f"A{row}:B{row}")
        sheet.put(f"A{row}", lines[key], bold=key.startswith("balance"), fill=TOTAL_FILL, box=True)
        sheet.put(f"C{row}", formula, bold=key.startswith("balance"), fmt=locale.money, fill=TOTAL_FILL, box=True)
        name_define(workbook, name, ws.title, f"C{row}")

    summary = top + len(totals) + 1
    sheet.put(f"A{summary}", data["summary_title"], bold=True, size=11)
    sheet.header_row(summary + 1, data["summary_headers"])
    start = summary + 2
    for offset, activity in enumerate(data["activities"]):
        row = start + offset
        sheet.put(f"A{row}", activity, box=True)
        sheet.put(f"B{row}", f"=SUMIF({activity_col},A{row},{expenses})", fmt=locale.money, box=True)
        sheet.put(f"C{row}", f'=SUMIF({activity_col},A{row},{incomes})-SUMIFS({incomes},{activity_col},A{row},'
                             f'{certainty_col},"{hoped}")', fmt=locale.money, box=True)
        sheet.put(f"D{row}", f"=C{row}-B{row}", fmt=locale.money, box=True)
    end = start + len(data["activities"]) - 1
    total_row = end + 1
    sheet.put(f"A{total_row}", data["total"], bold=True, fill=TOTAL_FILL, box=True)
    for column in "BCD":
        sheet.put(f"{column}{total_row}", f"=SUM({column}{start}:{column}{end})", bold=True, fmt=locale.money,
                  fill=TOTAL_FILL, box=True)
    name_define(workbook, "summary_balance", ws.title, f"D{total_row}")
    sheet.put(f"A{total_row + 2}", data["note"], italic=True, colour="55606A")
    ws.merge_cells(f"A{total_row + 2}:F{total_row + 3}")
    ws[f"A{total_row + 2}"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[total_row + 2].height = 24

    cjk = locale.cjk
    sheet.widths({"A": 20 if cjk else 22, "B": 24 if cjk else 30, "C": 13, "D": 13, "E": 30 if cjk else 36, "F": 16})
    ws.freeze_panes = f"A{first}"
    sheet.print_setup(f"$A$1:$F${total_row + 3}", title_rows=f"{header}:{header}")
    return workbook_finish(workbook, title=data["file_title"], language=language)


# --- 12-month cash plan ----------------------------------------------------------------------------

CASH = {
    "fr": {
        "file_title": "Plan de trésorerie sur 12 mois",
        "sheet": "Trésorerie",
        "title": "Plan de trésorerie {year} — association d'aide aux devoirs (exemple fictif)",
        "subtitle": "Chaque recette dans le mois où l'argent arrive vraiment sur le compte, chaque dépense dans le mois où "
                    "elle est payée. Cellules jaunes : à saisir.",
        "year": 2027,
        "months": ["Janv.", "Févr.", "Mars", "Avr.", "Mai", "Juin", "Juil.", "Août", "Sept.", "Oct.", "Nov.", "Déc."],
        "label": "Mois",
        "opening": "Solde en début de mois",
        "opening_note": "(janvier : solde réel de la banque et de la caisse)",
        "receipts": "Encaissements",
        "payments": "Décaissements",
        "total_receipts": "Total des encaissements",
        "total_payments": "Total des décaissements",
        "closing": "Solde en fin de mois",
        "start": 4000,
        "receipt_rows": [
            ("Participations des familles", [200] * 7 + [0] + [200] * 4),
            ("Cotisations", [0] * 8 + [900] + [0] * 3),
            ("Subvention de la ville", [0, 0, 0, 3000] + [0] * 8),
            ("Département : avance (60 %)", [0] * 5 + [6000] + [0] * 6),
            ("Département : solde (40 %), après le bilan", [0] * 9 + [4000] + [0] * 2),
            ("Dons de fin d'année", [0] * 11 + [600]),
        ],
        "payment_rows": [
            ("Salaire net de la coordinatrice", [1000] * 12),
            ("Cotisations sociales", [350] * 12),
            ("Loyer", [250] * 12),
            ("Assurance", [0] * 8 + [450] + [0] * 3),
            ("Fournitures pédagogiques", [0] * 8 + [300] + [0] * 3),
        ],
        "blank": "(autre ligne)",
        "threshold": "Seuil d'alerte",
        "threshold_value": 1000,
        "lowest": "Solde le plus bas de l'année",
        "lowest_month": "Mois du solde le plus bas",
        "below": "Mois sous le seuil d'alerte",
        "note": "Chaque mois, après le rapprochement bancaire, remplacez la prévision du mois écoulé par le réel et "
                "décalez les recettes en retard. Les contributions en nature n'ont pas leur place ici.",
    },
    "zh-hans": {
        "file_title": "十二个月现金流计划",
        "sheet": "现金流计划",
        "title": "{year}年现金流计划——喘息服务机构（虚构案例）",
        "subtitle": "每笔收入填在钱真正到账的月份，每笔支出填在实际付款的月份。黄色单元格：填写。",
        "year": 2027,
        "months": [f"{month}月" for month in range(1, 13)],
        "label": "单位：元",
        "opening": "月初余额",
        "opening_note": "（1月填银行账户和现金的实际余额）",
        "receipts": "现金流入",
        "payments": "现金流出",
        "total_receipts": "流入合计",
        "total_payments": "流出合计",
        "closing": "月末余额",
        "start": 40000,
        "receipt_rows": [
            ("服务收费和小额捐赠", [4000] * 12),
            ("街道购买服务首期款", [0, 0, 0, 40000] + [0] * 8),
            ("基金会项目首期款", [0] * 5 + [60000] + [0] * 6),
            ("街道购买服务二期款（中期评估后）", [0] * 8 + [30000] + [0] * 3),
            ("基金会项目二期款", [0] * 10 + [30000, 0]),
        ],
        "payment_rows": [
            ("工资", [12000] * 12),
            ("社保和公积金", [5000] * 12),
            ("房租", [3000] * 12),
            ("年度审计费", [0] * 11 + [3000]),
        ],
        "blank": "（其他）",
        "threshold": "警戒线",
        "threshold_value": 10000,
        "lowest": "全年最低余额",
        "lowest_month": "最低余额所在月份",
        "below": "低于警戒线的月份数",
        "note": "每月做完银行对账后，用实际数字替换上个月的预测，把推迟到账的收入移到可能到账的月份。志愿服务折算价值、"
                "无偿提供的场地不放进这张表。",
    },
}


def cash_plan(language: str) -> bytes:
    data = CASH[language]
    workbook, ws, sheet, locale = workbook_new(data, language)
    header = 4
    columns = [chr(ord("B") + index) for index in range(12)]  # B..M
    total_column = "N"
    sheet.header_row(header, [data["label"], *data["months"]])
    sheet.put(f"{total_column}{header}", "Σ", bold=True, colour="FFFFFF", fill=HEAD_FILL, box=True)

    row = header + 1
    opening = row
    sheet.put(f"A{row}", data["opening"], bold=True, box=True, fill=SECTION_FILL)
    for index, column in enumerate(columns):
        if index == 0:
            sheet.put(f"{column}{row}", data["start"], fmt=locale.money, fill=INPUT_FILL, box=True, bold=True)
        # the other months are filled below, once the closing row is known
    sheet.put(f"A{row + 1}", data["opening_note"], italic=True, colour="55606A", size=9)

    def block(start_row: int, title: str, lines: list, blanks: int) -> tuple[int, int, int]:
        sheet.put(f"A{start_row}", title, bold=True, fill=SECTION_FILL, box=True)
        for column in [*columns, total_column]:
            sheet.put(f"{column}{start_row}", None, fill=SECTION_FILL, box=True)
        first_line = start_row + 1
        all_lines = lines + [(data["blank"], [None] * 12)] * blanks
        for offset, (label, values) in enumerate(all_lines):
            line = first_line + offset
            sheet.put(f"A{line}", label, box=True, fill=INPUT_FILL, wrap=True)
            for column, value in zip(columns, values, strict=True):
                sheet.put(f"{column}{line}", value or None, fmt=locale.money, box=True, fill=INPUT_FILL)
            sheet.put(f"{total_column}{line}", f"=SUM(B{line}:M{line})", fmt=locale.money, box=True, fill=TOTAL_FILL)
        last_line = first_line + len(all_lines) - 1
        return first_line, last_line, last_line + 1

    receipts_first, receipts_last, receipts_total = block(opening + 2, data["receipts"], data["receipt_rows"], 2)
    payments_first, payments_last, payments_total = block(receipts_total + 1, data["payments"], data["payment_rows"], 2)
    closing = payments_total + 1
    for total_row, label, first_line, last_line in ((receipts_total, data["total_receipts"], receipts_first, receipts_last),
                                                    (payments_total, data["total_payments"], payments_first, payments_last)):
        sheet.put(f"A{total_row}", label, bold=True, box=True, fill=TOTAL_FILL)
        for column in [*columns, total_column]:
            sheet.put(f"{column}{total_row}", f"=SUM({column}{first_line}:{column}{last_line})", bold=True,
                      fmt=locale.money, box=True, fill=TOTAL_FILL)
    sheet.put(f"A{closing}", data["closing"], bold=True, box=True, fill=SECTION_FILL)
    for index, column in enumerate(columns):
        sheet.put(f"{column}{closing}", f"={column}{opening}+{column}{receipts_total}-{column}{payments_total}", bold=True,
                  fmt=locale.money, box=True, fill=SECTION_FILL)
        if index > 0:
            sheet.put(f"{column}{opening}", f"={columns[index - 1]}{closing}", fmt=locale.money, box=True, bold=True)
        name_define(workbook, f"closing_{index + 1:02d}", ws.title, f"{column}{closing}")
    sheet.put(f"{total_column}{opening}", None, box=True)
    sheet.put(f"{total_column}{closing}", None, box=True, fill=SECTION_FILL)
    red = PatternFill("solid", fgColor="FDE2E1")
    ws.conditional_formatting.add(f"B{closing}:M{closing}", CellIsRule(operator="lessThan", formula=["0"], fill=red,
                                                                       font=Font(color="B3261E", bold=True)))

    info = closing + 2
    sheet.put(f"A{info}", data["threshold"], box=True)
    sheet.put(f"B{info}", data["threshold_value"], fmt=locale.money, fill=INPUT_FILL, box=True)
    sheet.put(f"A{info + 1}", data["lowest"], box=True, bold=True)
    sheet.put(f"B{info + 1}", f"=MIN(B{closing}:M{closing})", fmt=locale.money, box=True, bold=True)
    sheet.put(f"A{info + 2}", data["lowest_month"], box=True)
    sheet.put(f"B{info + 2}", f"=INDEX(B{header}:M{header},MATCH(B{info + 1},B{closing}:M{closing},0))", box=True)
    sheet.put(f"A{info + 3}", data["below"], box=True)
    sheet.put(f"B{info + 3}", f'=COUNTIF(B{closing}:M{closing},"<"&B{info})', box=True)
    name_define(workbook, "lowest_balance", ws.title, f"B{info + 1}")
    name_define(workbook, "lowest_month", ws.title, f"B{info + 2}")
    name_define(workbook, "months_below_threshold", ws.title, f"B{info + 3}")
    note = info + 5
    sheet.put(f"A{note}", data["note"], italic=True, colour="55606A")
    ws.merge_cells(f"A{note}:N{note + 1}")
    ws[f"A{note}"].alignment = Alignment(wrap_text=True, vertical="top")

    sheet.widths({"A": 30 if locale.cjk else 36, **dict.fromkeys(columns, 10.5), total_column: 12})
    ws.freeze_panes = f"B{header + 1}"
    sheet.print_setup(f"$A$1:${total_column}${note + 1}", title_rows=f"{header}:{header}")
    return workbook_finish(workbook, title=data["file_title"], language=language)


# --- Bank reconciliation -----------------------------------------------------------------------------

RECONCILIATION = {
    "fr": {
        "file_title": "Rapprochement bancaire",
        "sheet": "Rapprochement",
        "title": "Rapprochement bancaire",
        "subtitle": "Chaque mois : expliquez l'écart entre le relevé de la banque et votre livre de caisse. "
                    "Cellules jaunes : à saisir.",
        "fields": [("Association", "Aide aux devoirs (exemple fictif)"), ("Compte", "Compte courant"),
                   ("Date du rapprochement", datetime.date(2027, 2, 28))],
        "statement": "A. Solde du relevé bancaire à cette date",
        "statement_value": 1240,
        "minus": "B. Moins : sorties notées dans le livre, pas encore passées en banque (chèques émis non encaissés, "
                 "virements en attente)",
        "plus": "C. Plus : entrées notées dans le livre, pas encore créditées (remises de chèques, espèces déposées)",
        "columns": ["Date", "N° de pièce", "Libellé", "Montant"],
        "minus_rows": [(datetime.date(2027, 2, 24), "112", "Chèque n° 112 — location de salle, pas encore encaissé", 150)],
        "plus_rows": [],
        "expected": "D. Solde attendu dans le livre (A − B + C)",
        "book": "E. Solde du livre de caisse (banque) à cette date",
        "book_value": 1090,
        "difference": "Écart (E − D) : doit être 0",
        "ok": "✔ Rapproché",
        "not_ok": "✘ Écart à expliquer : oubli (frais, virement non noté) ou erreur à corriger dans le livre",
        "corrections": "Corrections passées dans le livre ce mois-ci (oublis, erreurs), avec leur numéro de ligne",
        "signatures": [("Établi par", "le"), ("Relu par (deuxième personne)", "le")],
        "blank_rows": 5,
    },
    "zh-hans": {
        "file_title": "银行存款余额调节表",
        "sheet": "银行对账",
        "title": "银行存款余额调节表",
        "subtitle": "每月一次：把银行对账单和日记账之间的差异逐项说明清楚。黄色单元格：填写。",
        "fields": [("机构名称", "社区课业辅导团队（虚构案例）"), ("账户", "代管账户（单独核算）"),
                   ("对账日期", datetime.date(2027, 2, 28))],
        "statement": "A. 银行对账单余额",
        "statement_value": 5200,
        "minus": "B. 减：日记账已记付出、银行尚未扣款的款项（已转出未到账、已开出未兑付）",
        "plus": "C. 加：日记账已记收到、银行尚未入账的款项",
        "columns": ["日期", "凭证编号", "摘要", "金额"],
        "minus_rows": [(datetime.date(2027, 2, 27), "27", "场地费，已转出、银行尚未扣款", 600)],
        "plus_rows": [],
        "expected": "D. 日记账应有余额（A－B＋C）",
        "book": "E. 日记账实际余额（银行存款）",
        "book_value": 4600,
        "difference": "差额（E－D）：应为0",
        "ok": "✔ 已核对一致",
        "not_ok": "✘ 有差额：查找漏记（手续费、到账款）或记错的款项，在日记账中补记或更正",
        "corrections": "本月在日记账中补记或更正的事项（写明编号）",
        "signatures": [("编制人", "日期"), ("复核人（第二个人）", "日期")],
        "blank_rows": 5,
    },
}


def bank_reconciliation(language: str) -> bytes:
    data = RECONCILIATION[language]
    workbook, ws, sheet, locale = workbook_new(data, language)
    row = 4
    for label, value in data["fields"]:
        sheet.put(f"A{row}", label, bold=True)
        ws.merge_cells(f"B{row}:C{row}")
        sheet.put(f"B{row}", value, fill=INPUT_FILL, box=True, fmt=locale.date if isinstance(value, datetime.date) else None,
                  align="left")
        row += 1
    row += 1
    statement = row
    ws.merge_cells(f"A{row}:C{row}")
    sheet.put(f"A{row}", data["statement"], bold=True, fill=SECTION_FILL, box=True)
    sheet.put(f"D{row}", data["statement_value"], fmt=locale.money_cents, fill=INPUT_FILL, box=True, bold=True)
    name_define(workbook, "statement_balance", ws.title, f"D{row}")

    def listing(start: int, title: str, items: list) -> tuple[int, int]:
        ws.merge_cells(f"A{start}:D{start}")
        sheet.put(f"A{start}", title, bold=True, wrap=True, fill=SECTION_FILL, box=True)
        ws.row_dimensions[start].height = 30
        sheet.header_row(start + 1, data["columns"])
        first = start + 2
        rows = items + [(None, None, None, None)] * data["blank_rows"]
        for offset, (day, number, label, amount) in enumerate(rows):
            line = first + offset
            sheet.put(f"A{line}", day, fmt=locale.date, fill=INPUT_FILL, box=True, align="left")
            sheet.put(f"B{line}", number, fill=INPUT_FILL, box=True)
            sheet.put(f"C{line}", label, fill=INPUT_FILL, box=True, wrap=True)
            sheet.put(f"D{line}", amount, fmt=locale.money_cents, fill=INPUT_FILL, box=True)
        last = first + len(rows) - 1
        return first, last

    minus_first, minus_last = listing(statement + 2, data["minus"], data["minus_rows"])
    plus_first, plus_last = listing(minus_last + 2, data["plus"], data["plus_rows"])
    expected = plus_last + 2
    lines = [
        (data["expected"], f"=D{statement}-SUM(D{minus_first}:D{minus_last})+SUM(D{plus_first}:D{plus_last})", None,
         "expected_book_balance"),
        (data["book"], data["book_value"], INPUT_FILL, "book_balance"),
        (data["difference"], f"=D{expected + 1}-D{expected}", None, "difference"),
    ]
    for offset, (label, value, fill, name) in enumerate(lines):
        line = expected + offset
        ws.merge_cells(f"A{line}:C{line}")
        sheet.put(f"A{line}", label, bold=True, box=True, fill=TOTAL_FILL)
        sheet.put(f"D{line}", value, bold=True, fmt=locale.money_cents, box=True, fill=fill or TOTAL_FILL)
        name_define(workbook, name, ws.title, f"D{line}")
    status = expected + 3
    ws.merge_cells(f"A{status}:D{status}")
    sheet.put(f"A{status}", f'=IF(ABS(D{expected + 2})<0.005,"{data["ok"]}","{data["not_ok"]}")', bold=True, size=11,
              wrap=True)
    ws.row_dimensions[status].height = 30
    name_define(workbook, "status", ws.title, f"A{status}")
    ws.conditional_formatting.add(f"D{expected + 2}", CellIsRule(operator="notEqual", formula=["0"],
                                                                 fill=PatternFill("solid", fgColor="FDE2E1")))
    corrections = status + 2
    ws.merge_cells(f"A{corrections}:D{corrections}")
    sheet.put(f"A{corrections}", data["corrections"], bold=True, fill=SECTION_FILL, box=True, wrap=True)
    for offset in range(1, 4):
        ws.merge_cells(f"A{corrections + offset}:D{corrections + offset}")
        sheet.put(f"A{corrections + offset}", None, fill=INPUT_FILL, box=True)
    sign = corrections + 5
    for offset, (who, when) in enumerate(data["signatures"]):
        line = sign + offset * 2
        sheet.put(f"A{line}", who, bold=True)
        sheet.put(f"B{line}", None, box=True, fill=INPUT_FILL)
        sheet.put(f"C{line}", when, align="right")
        sheet.put(f"D{line}", None, box=True, fill=INPUT_FILL, fmt=locale.date)
        ws.row_dimensions[line].height = 28
    sheet.widths({"A": 16 if locale.cjk else 16, "B": 14, "C": 52 if locale.cjk else 58, "D": 16})
    sheet.print_setup(f"$A$1:$D${sign + 2}", landscape=False)
    return workbook_finish(workbook, title=data["file_title"], language=language)


# --- Editorial calendar ------------------------------------------------------------------------------

CALENDAR = {
    "fr": {
        "file_title": "Calendrier éditorial",
        "sheet": "Calendrier",
        "title": "Calendrier éditorial — douze semaines",
        "subtitle": "Quoi publier, où, quand et par qui. Saisissez le lundi de la première semaine : les dates suivent.",
        "start_label": "Lundi de la semaine 1",
        "start": datetime.date(2027, 9, 6),
        "headers": ["Semaine", "Du", "Sujet", "Public", "Canal", "Demande", "Qui", "Statut"],
        "statuses": ["Idée", "À écrire", "À relire", "Publié"],
        "rows": [
            ("Nous recrutons des bénévoles", "Futurs bénévoles", "Facebook, affiches", "Venir à la réunion", "Sophie", "Publié"),
            ("Portrait d'un bénévole", "Futurs bénévoles", "Instagram", "Partager", "Karim", "À relire"),
            ("Bilan du trimestre", "Adhérent·es", "Lettre", "Renouveler l'adhésion", "Sophie", "À écrire"),
            ("Forum des associations", "Habitant·es", "Facebook", "Passer au stand", "Claire", "Idée"),
        ],
        "weeks": 12,
        "count_title": "Publications par statut",
        "moments_title": "Temps forts de l'année",
        "moments": ["Septembre : rentrée et forum des associations", "Assemblée générale",
                    "Journées mondiales liées à votre cause", "#GivingTuesday (fin novembre ou début décembre)",
                    "5 décembre : Journée mondiale du bénévolat", "Décembre : beaucoup de dons se font en fin d'année"],
    },
    "zh-hans": {
        "file_title": "内容日历",
        "sheet": "内容日历",
        "title": "内容日历（十二周）",
        "subtitle": "发什么、在哪里发、什么时候发、由谁来发。填写第1周的周一日期，之后的日期自动计算。",
        "start_label": "第1周的周一",
        "start": datetime.date(2027, 8, 30),
        "headers": ["周次", "开始日期", "主题", "目标受众", "渠道", "请求", "负责人", "状态"],
        "statuses": ["构思中", "待撰写", "待审核", "已发布"],
        "rows": [
            ("新学期志愿者招募", "潜在志愿者", "公众号、社区宣传栏", "报名参加说明会", "小王", "已发布"),
            ("志愿者小传（1分钟视频）", "潜在志愿者", "视频号", "转发", "小陈", "待审核"),
            ("季度回顾", "会员、合作伙伴", "公众号", "继续支持", "小王", "待撰写"),
            ("中华慈善日社区活动", "社区居民", "微信群、朋友圈", "到现场参加", "刘老师", "构思中"),
        ],
        "weeks": 12,
        "count_title": "各状态的内容数",
        "moments_title": "全年重要节点",
        "moments": ["3月5日：学雷锋纪念日", "9月5日：中华慈善日", "9月：99公益日", "12月5日：国际志愿者日",
                    "开学、春节、社区活动、年度会议", "与您议题相关的国际日"],
    },
}


def editorial_calendar(language: str) -> bytes:
    data = CALENDAR[language]
    workbook, ws, sheet, locale = workbook_new(data, language)
    sheet.put("A3", data["start_label"], bold=True)
    ws.merge_cells("A3:B3")
    sheet.put("C3", data["start"], fmt=locale.date, fill=INPUT_FILL, box=True, bold=True, align="left")
    name_define(workbook, "first_monday", ws.title, "C3")
    header = 5
    sheet.header_row(header, data["headers"])
    first = header + 1
    rows = data["rows"] + [(None,) * 6] * (data["weeks"] - len(data["rows"]))
    week_prefix = "第{n}周" if locale.cjk else "{n}"
    for offset, values in enumerate(rows):
        row = first + offset
        sheet.put(f"A{row}", week_prefix.format(n=offset + 1), box=True, align="center")
        sheet.put(f"B{row}", "=$C$3" if offset == 0 else f"=B{row - 1}+7", fmt=locale.date, box=True, align="left")
        for column, value in zip("CDEFGH", values, strict=True):
            sheet.put(f"{column}{row}", value, box=True, fill=INPUT_FILL, wrap=True)
    last = first + len(rows) - 1
    name_define(workbook, "last_week_start", ws.title, f"B{last}")
    validation = DataValidation(type="list", formula1='"' + ",".join(data["statuses"]) + '"', allow_blank=True)
    validation.add(f"H{first}:H{last}")
    ws.add_data_validation(validation)

    count = last + 2
    sheet.put(f"A{count}", data["count_title"], bold=True, size=11)
    for offset, status in enumerate(data["statuses"]):
        row = count + 1 + offset
        ws.merge_cells(f"A{row}:B{row}")
        sheet.put(f"A{row}", status, box=True)
        sheet.put(f"C{row}", f'=COUNTIF($H${first}:$H${last},A{row})', box=True, align="left")
        name_define(workbook, f"count_status_{offset + 1}", ws.title, f"C{row}")
    moments = count + len(data["statuses"]) + 2
    sheet.put(f"A{moments}", data["moments_title"], bold=True, size=11)
    for offset, text in enumerate(data["moments"]):
        sheet.put(f"A{moments + 1 + offset}", "• " + text)
    end = moments + len(data["moments"])
    cjk = locale.cjk
    sheet.widths({"A": 8, "B": 15 if cjk else 12, "C": 28, "D": 18, "E": 20, "F": 22, "G": 12, "H": 12})
    ws.freeze_panes = f"C{first}"
    sheet.print_setup(f"$A$1:$H${end}", title_rows=f"{header}:{header}")
    return workbook_finish(workbook, title=data["file_title"], language=language)
