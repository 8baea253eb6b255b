"""Demo data for the curriculum: the shipped modules (authored by the demo trainer) and one draft
module that is not finished, so that a trainer sees completeness below 100 % and a refused publish."""
from __future__ import annotations

from django.conf import settings

from . import services
from .content_files import content_import, content_read
from .models import Lesson, LessonTranslation, Module

DRAFT_SLUG = "governance-basics"

GOVERNANCE = {
    "title": {"fr": "Les bases de la gouvernance associative", "zh-hans": "社会组织治理基础"},
    "summary": {
        "fr": "Pour les responsables qui veulent un conseil d'administration utile : qui décide de quoi, et comment préparer "
              "une assemblée générale qui compte.",
        "zh-hans": "面向希望理事会真正发挥作用的负责人：谁决定什么，以及如何筹备一次有意义的会员大会。",
    },
    "outcomes": {
        "fr": ["Dire qui décide de quoi entre l'assemblée générale, le conseil et l'équipe.",
               "Préparer et animer une assemblée générale."],
        "zh-hans": ["说清楚会员大会、理事会和工作团队各自决定哪些事情。", "筹备并主持一次会员大会。"],
    },
}

LESSON_ONE = {
    "fr": ("Le rôle du conseil d'administration", "Qui décide de quoi dans une association.",
           "## Trois instances, trois rôles\n\n"
           "- **L'assemblée générale** réunit les membres : elle approuve les comptes et élit le conseil.\n"
           "- **Le conseil d'administration** fixe les orientations et contrôle la gestion.\n"
           "- **L'équipe** (salariée ou bénévole) met en œuvre les décisions.\n\n"
           "## À vous de jouer\n\nListez trois décisions prises l'an dernier et dites quelle instance les a prises."),
    "zh-hans": ("理事会的职责", "社会组织里谁决定什么。",
                "## 三个机构，三种职责\n\n"
                "- **会员大会**由全体会员组成：审议财务报告，选举理事会。\n"
                "- **理事会**确定发展方向，监督日常管理。\n"
                "- **工作团队**（专职或志愿者）执行决定。\n\n"
                "## 练一练\n\n列出去年作出的三项决定，说明分别由哪个机构作出。"),
}
LESSON_ONE_FR_REVISED = LESSON_ONE["fr"][2].replace(
    "## À vous de jouer", "Un conseil utile se réunit au moins quatre fois par an, avec un ordre du jour envoyé à l'avance.\n\n"
                          "## À vous de jouer")
LESSON_TWO_FR = ("Préparer une assemblée générale", "Convoquer, présenter les comptes et faire voter.",
                 "## Avant\n\nEnvoyez la convocation dans le délai prévu par vos statuts, avec l'ordre du jour et les comptes.\n\n"
                 "## Pendant\n\nPrésentez le rapport d'activité et le rapport financier, puis faites voter les résolutions.\n\n"
                 "## Après\n\nRédigez le procès-verbal et envoyez-le aux membres.")

QUESTIONS = [
    {
        "key": "who-approves-accounts", "kind": "single",
        "texts": {"fr": {"text": "Qui approuve les comptes annuels de l'association ?",
                         "explanation": "L'assemblée générale des membres approuve les comptes ; le conseil les arrête et les présente."},
                  "zh-hans": {"text": "谁审议通过社会组织的年度财务报告？",
                              "explanation": "由会员大会审议通过；理事会负责审定并提交。"}},
        "choices": [
            {"correct": True, "texts": {"fr": {"text": "L'assemblée générale"}, "zh-hans": {"text": "会员大会"}}},
            {"correct": False, "texts": {"fr": {"text": "Le trésorier seul"}, "zh-hans": {"text": "财务负责人一个人"}}},
            {"correct": False, "texts": {"fr": {"text": "Le principal financeur"}, "zh-hans": {"text": "主要资助方"}}},
        ],
    },
    {
        "key": "board-role", "kind": "multiple",
        "texts": {"fr": {"text": "Que fait un conseil d'administration utile ?",
                         "explanation": "Il fixe les orientations et contrôle la gestion ; il ne fait pas le travail de l'équipe."},
                  "zh-hans": {"text": "一个发挥作用的理事会做什么？", "explanation": "确定方向、监督管理，而不是代替团队做日常工作。"}},
        "choices": [
            {"correct": True, "texts": {"fr": {"text": "Il fixe les orientations de l'année"}, "zh-hans": {"text": "确定年度方向"}}},
            {"correct": True, "texts": {"fr": {"text": "Il suit le budget chaque trimestre"}, "zh-hans": {"text": "每季度跟踪预算"}}},
            {"correct": False, "texts": {"fr": {"text": "Il valide chaque dépense de l'équipe"},
                                         "zh-hans": {"text": "审批团队的每一笔支出"}}},
        ],
    },
]


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


def _ensure_curriculum(stdout) -> None:
    """`make run` imports content/ first; when it did not (tests, a bare seed_demo), import it here."""
    if Module.objects.exclude(slug=DRAFT_SLUG).exists():
        return
    plan = content_read(settings.CONTENT_DIR)
    if plan.problems:
        _say(stdout, f"The curriculum in {settings.CONTENT_DIR} has {len(plan.problems)} problem(s); it was not imported.")
        return
    report = content_import(plan, publish=True)
    _say(stdout, f"Curriculum imported: {report.summary}")


def _draft_module(trainer) -> Module:
    module = Module.objects.filter(slug=DRAFT_SLUG).first()
    if module is not None:
        return module
    module = services.module_create(slug=DRAFT_SLUG, topic="governance", level=Module.Level.BEGINNER, estimated_minutes=45,
                                    source_language="fr", user=trainer)
    for language in ("fr", "zh-hans"):
        services.module_translation_save(module=module, language=language, title=GOVERNANCE["title"][language],
                                         summary=GOVERNANCE["summary"][language], outcomes=GOVERNANCE["outcomes"][language],
                                         user=trainer)
    first = services.lesson_create(module=module, slug="board-role", user=trainer)
    for language, (title, summary, body) in LESSON_ONE.items():
        services.lesson_translation_save(lesson=first, language=language, title=title, summary=summary, body_md=body,
                                         user=trainer)
    # The French text changed after the Chinese translation was made: the Chinese needs an update.
    title, summary, _body = LESSON_ONE["fr"]
    services.lesson_translation_save(lesson=first, language="fr", title=title, summary=summary,
                                     body_md=LESSON_ONE_FR_REVISED, user=trainer)
    # The second lesson is written in French only: its Chinese text is missing.
    second = services.lesson_create(module=module, slug="general-assembly", user=trainer)
    title, summary, body = LESSON_TWO_FR
    services.lesson_translation_save(lesson=second, language="fr", title=title, summary=summary, body_md=body, user=trainer)
    quiz = services.quiz_get_or_create(module=module)
    for question in QUESTIONS:
        services.question_save(quiz=quiz, user=trainer, **question)
    return module


def seed(context: dict, stdout=None) -> None:
    trainer = context["users"]["trainer"]
    _ensure_curriculum(stdout)
    modules = list(Module.objects.exclude(slug=DRAFT_SLUG).order_by("slug"))
    for module in modules:
        services.module_author_add(module=module, author=trainer)
    draft = _draft_module(trainer)
    context["courses"] = {"modules": {module.slug: module for module in modules}, "draft": draft}
    stale = LessonTranslation.objects.filter(lesson__module=draft, language="zh-hans").count()
    lessons = Lesson.objects.filter(module=draft).count()
    _say(stdout, f"Courses: {len(modules)} module(s) authored by {trainer.email}; draft {DRAFT_SLUG} "
                 f"({lessons} lessons, {stale} in Chinese) to finish and publish.")
