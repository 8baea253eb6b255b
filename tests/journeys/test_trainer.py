"""The trainer's journey in Chromium: create a module → a lesson in French → its Chinese side by side →
preview → publishing refused (what is missing) → the missing texts and a quiz question → published →
the French changed → the Chinese "needs update" → a learner reading Chinese sees the notice.
Screenshots: var/journeys/trainer-<width>/."""
import re

import pytest
from playwright.sync_api import expect

from courses.models import LessonTranslation, Module
from tests.coaching.factories import all_topics
from tests.factories import UserFactory

from .conftest import WIDTHS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "board-meetings"


@pytest.mark.parametrize("journey", WIDTHS, indirect=True)
def test_trainer_journey(journey):
    all_topics()
    trainer = UserFactory(is_trainer=True, display_name="Claire Martin", preferred_language=journey.language)
    page = journey.actor(trainer)

    # 1. A new module, written in French.
    page.goto("/courses/new/")
    page.fill("input[name=slug]", SLUG)
    page.select_option("select[name=source_language]", "fr")
    page.fill("input[name=title]", "Réussir ses réunions de bureau")
    page.fill("textarea[name=summary]", "Préparer, animer et suivre les réunions du bureau de l'association.")
    journey.step(page, "module-new")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_url(f"**/courses/{SLUG}/")
    module = Module.objects.get(slug=SLUG)
    assert module.status == Module.Status.DRAFT and module.authors.filter(pk=trainer.pk).exists()
    journey.step(page, "module-created")

    # 2. A lesson in French, with the live preview rendered by the server as the trainer types.
    page.click(f"a[href='/courses/{SLUG}/lessons/new/']")
    page.fill("input[name=slug]", "agenda")
    expect(page.locator("main select[name=language]")).to_have_value("fr")
    page.fill("main input[name=title]", "Préparer l'ordre du jour")
    page.fill("textarea[name=summary]", "Un ordre du jour clair, envoyé à temps.")
    page.fill("textarea[name=body_md]", "## Avant\n\nEnvoyez l'**ordre du jour** une semaine avant.\n\n"
                                        "## Pendant\n\nUn point, une décision, un responsable.")
    expect(page.locator("#preview-body h2", has_text="Avant")).to_be_visible()
    journey.step(page, "lesson-fr-write")
    page.click("main form[method=post] button[type=submit]")
    expect(page.locator("article.lesson h1", has_text="Préparer")).to_be_visible()
    journey.step(page, "lesson-fr-preview")

    # 3. Publishing is refused with the list of what is missing; the page is not left on the POST.
    page.goto(f"/courses/{SLUG}/")
    page.click(f"form[action='/courses/{SLUG}/workflow/publish/'] button[type=submit]")
    problems = page.locator(".publish-problems")
    expect(problems).to_be_visible()
    with_translation = journey.t("The module has no quiz question yet: add at least one question to the quiz.")
    expect(problems).to_contain_text(with_translation)
    assert page.url.endswith(f"/courses/{SLUG}/") or "workflow" not in page.url
    assert Module.objects.get(pk=module.pk).status == Module.Status.DRAFT
    journey.step(page, "publish-refused")

    # 4. The Chinese, side by side with the French.
    page.click(f"a[href='/courses/{SLUG}/lessons/agenda/side-by-side/']")
    expect(page.locator("textarea[name='left-body_md']")).to_have_value(re.compile(r"^## Avant"))
    page.fill("input[name='right-title']", "准备会议议程")
    page.fill("textarea[name='right-summary']", "清晰的议程，按时发出。")
    page.fill("textarea[name='right-body_md']", "## 会前\n\n提前一周发出**议程**。\n\n## 会中\n\n一个议题，一个决定，一个负责人。")
    # The preview pairs the languages section by section, redrawn as the translator types.
    row = page.locator("[data-sbs-preview] .sbs-row").filter(has=page.locator("h2", has_text="会前"))
    expect(row.locator(".column").first.locator("h2")).to_have_text("Avant")
    journey.step(page, "side-by-side")
    page.click("form.sbs-form button[type=submit]")
    expect(page.locator(".message", has_text=journey.t("Both languages of the lesson were saved."))).to_be_visible()

    # 5. The preview of the Chinese lesson as learners will read it.
    page.goto(f"/courses/{SLUG}/lessons/agenda/?lang=zh-hans")
    expect(page.locator("article.lesson h1", has_text="准备会议议程")).to_be_visible()
    journey.step(page, "preview-zh-hans")

    # 6. What was missing: the module's Chinese title and summary, a quiz question in both languages.
    page.goto(f"/courses/{SLUG}/")
    page.click(f"a[href='/courses/{SLUG}/texts/zh-hans/']")
    page.fill("input[name=title]", "开好理事会会议")
    page.fill("textarea[name=summary]", "筹备、主持并跟进协会理事会会议。")
    journey.step(page, "module-texts-zh-hans")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_url(f"**/courses/{SLUG}/")
    page.goto(f"/courses/{SLUG}/quiz/questions/new/")
    page.fill("input[name=key]", "agenda-when")
    page.fill("textarea[name=text_fr]", "Quand envoyer l'ordre du jour ?")
    page.fill("textarea[name='text_zh-hans']", "什么时候发出议程？")
    page.fill("textarea[name=explanation_fr]", "Une semaine avant laisse le temps de se préparer.")
    page.fill("textarea[name='explanation_zh-hans']", "提前一周，大家有时间准备。")
    page.check("input[name=choice1_correct]")
    for index, fr, zh in [(1, "Une semaine avant", "提前一周"), (2, "Le matin même", "当天早上")]:
        page.fill(f"[name=choice{index}_text_fr]", fr)
        page.fill(f"[name='choice{index}_text_zh-hans']", zh)
    journey.step(page, "quiz-question")
    page.click("main form.question-form button[type=submit]")
    page.wait_for_url(f"**/courses/{SLUG}/quiz/**")

    # 7. Complete in both languages: published.
    page.goto(f"/courses/{SLUG}/")
    expect(page.locator(".publish-problems")).to_have_count(0)
    journey.step(page, "complete")
    page.click(f"form[action='/courses/{SLUG}/workflow/publish/'] button[type=submit]")
    published = journey.t("The module is published: learners can now find it in the catalogue.")
    expect(page.locator(".message", has_text=published)).to_be_visible()
    assert Module.objects.get(pk=module.pk).status == Module.Status.PUBLISHED
    journey.step(page, "published")

    # 8. The French changes: the Chinese needs an update.
    page.goto(f"/courses/{SLUG}/lessons/agenda/edit/fr/")
    page.fill("textarea[name=body_md]", "## Avant\n\nEnvoyez l'**ordre du jour** dix jours avant, avec les documents.\n\n"
                                        "## Pendant\n\nUn point, une décision, un responsable.")
    journey.step(page, "lesson-fr-change")
    page.click("main form[method=post] button[type=submit]")
    expect(page.locator("article.lesson")).to_be_visible()
    page.goto(f"/courses/{SLUG}/")
    row = page.locator(".lesson-table tr", has_text="Préparer")
    expect(row).to_contain_text(journey.t("needs update"))
    journey.step(page, "needs-update")
    zh = LessonTranslation.objects.get(lesson__module=module, language="zh-hans")
    assert zh.source_version < LessonTranslation.objects.get(lesson__module=module, language="fr").version

    # 9. A learner reading Chinese is told the translation may be behind the French original.
    learner = journey.actor(UserFactory(is_learner=True, display_name="李雷", preferred_language=journey.language))
    learner.goto(f"/learn/{SLUG}/")
    journey.step(learner, "learner-module")
    learner.click(f"form[action='/learn/{SLUG}/enrol/'] button[type=submit]")
    learner.wait_for_url(f"**/learn/{SLUG}/agenda/")
    if learner.locator("article.lesson .prose").first.get_attribute("lang") != "zh-hans":
        learner.click("form.lang-buttons button[value=zh-hans]")
        learner.wait_for_load_state()
    expect(learner.locator(".stale-translation")).to_be_visible()
    expect(learner.locator(".stale-translation a")).to_be_visible()
    journey.step(learner, "learner-stale-notice")
