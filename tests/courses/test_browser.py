"""In Chromium: a trainer writes a lesson in French, translates it side by side into Chinese, sees
completeness reach 100 %, publishes, then changes the French and sees the Chinese marked "needs update"."""
import pytest
from playwright.sync_api import expect

from courses.models import LessonTranslation, Module
from tests.conftest import browser_login
from tests.factories import PASSWORD, UserFactory

from .factories import module_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _completeness(page, language_name: str) -> str:
    return page.locator(".completeness li", has_text=language_name).first.inner_text()


def test_write_translate_publish_then_see_needs_update(page, live_server, screenshot_dir):
    trainer = UserFactory(is_trainer=True, display_name="Claire Martin", preferred_language="en")
    module = module_build(slug="board-basics", author=trainer, lessons=1, questions=1)
    browser_login(page, trainer.email, PASSWORD)

    # 1. Write a lesson in French, with the live preview.
    page.goto(f"/courses/{module.slug}/")
    page.click("text=Add a lesson")
    page.fill("input[name=slug]", "general-assembly")
    assert page.locator("main select[name=language]").input_value() == "fr"
    page.fill("main input[name=title]", "Préparer l'assemblée générale")
    page.fill("textarea[name=summary]", "Convoquer, présenter, faire voter.")
    page.fill("textarea[name=body_md]", "## Avant\n\nEnvoyez la **convocation** à temps.\n\n## Après\n\nRédigez le procès-verbal.")
    page.wait_for_selector("#preview-body h2:has-text('Avant')")  # rendered by the server as you type
    page.screenshot(path=str(screenshot_dir / "courses-1-write-french.png"), full_page=True)
    page.click("button:has-text('Save the lesson')")
    page.wait_for_selector("article.lesson h1:has-text('Préparer')")

    # Chinese is now missing: completeness below 100 %, and publishing is refused with the list.
    page.goto(f"/courses/{module.slug}/")
    assert "66 %" in _completeness(page, "Simplified Chinese") or "75 %" in _completeness(page, "Simplified Chinese")
    page.click("button:has-text('Publish')")
    problems = page.locator(".publish-problems")
    assert "is not written in Simplified Chinese yet" in problems.inner_text()
    page.screenshot(path=str(screenshot_dir / "courses-2-publish-refused.png"), full_page=True)

    # 2. Translate side by side.
    page.goto(f"/courses/{module.slug}/lessons/general-assembly/side-by-side/")
    assert page.locator("textarea[name='left-body_md']").input_value().startswith("## Avant")
    page.fill("input[name='right-title']", "筹备会员大会")
    page.fill("textarea[name='right-summary']", "通知、汇报、表决。")
    page.fill("textarea[name='right-body_md']", "## 会前\n\n按时发出**会议通知**。\n\n## 会后\n\n整理会议记录。")
    # The preview pairs the two languages section by section (a row per "## "), redrawn as the translator types.
    rows = page.locator("[data-sbs-preview] .sbs-row")
    expect(rows.nth(1).locator(".column").nth(1).locator("h2")).to_have_text("会后")
    expect(rows).to_have_count(2)
    for n, (french, chinese) in enumerate([("Avant", "会前"), ("Après", "会后")]):
        expect(rows.nth(n).locator(".column").nth(0).locator("h2")).to_have_text(french)
        expect(rows.nth(n).locator(".column").nth(1).locator("h2")).to_have_text(chinese)
    page.screenshot(path=str(screenshot_dir / "courses-3-side-by-side.png"), full_page=True)
    page.click("button:has-text('Save both')")
    page.wait_for_selector("text=Both languages of the lesson were saved.")

    # 3. Completeness reaches 100 % in both languages; publish.
    page.goto(f"/courses/{module.slug}/")
    assert "100 %" in _completeness(page, "French")
    assert "100 %" in _completeness(page, "Simplified Chinese")
    page.screenshot(path=str(screenshot_dir / "courses-4-complete.png"), full_page=True)
    page.click("button:has-text('Publish')")
    page.wait_for_selector("text=The module is published")
    assert Module.objects.get(pk=module.pk).status == Module.Status.PUBLISHED

    # 4. Change the French: the Chinese needs an update.
    page.goto(f"/courses/{module.slug}/lessons/general-assembly/edit/fr/")
    page.fill("textarea[name=body_md]",
              "## Avant\n\nEnvoyez la **convocation** trois semaines avant.\n\n## Après\n\nRédigez le procès-verbal.")
    page.click("button:has-text('Save')")
    page.wait_for_selector("article.lesson")
    page.goto(f"/courses/{module.slug}/")
    row = page.locator(".lesson-table tr", has_text="Préparer")
    assert "Simplified Chinese · needs update" in row.inner_text()
    assert "1 needs update" in _completeness(page, "Simplified Chinese")
    page.screenshot(path=str(screenshot_dir / "courses-5-needs-update.png"), full_page=True)
    zh = LessonTranslation.objects.get(lesson__slug="general-assembly", language="zh-hans")
    fr = LessonTranslation.objects.get(lesson__slug="general-assembly", language="fr")
    assert zh.source_version < fr.version

    # The trainer checks the Chinese and marks it up to date.
    page.goto(f"/courses/{module.slug}/lessons/general-assembly/?lang=zh-hans")
    page.click("button:has-text('Mark as up to date')")
    page.goto(f"/courses/{module.slug}/")
    assert "needs update" not in page.locator(".lesson-table tr", has_text="Préparer").inner_text()


def test_the_trainer_pages_fit_a_phone(browser, live_server, screenshot_dir):
    trainer = UserFactory(is_trainer=True, preferred_language="zh-hans")
    module = module_build(slug="phone-check", author=trainer, lessons=2, questions=1)
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server.url)
    page = context.new_page()
    browser_login(page, trainer.email, PASSWORD)
    for url, name in [("/courses/", "list"), (f"/courses/{module.slug}/", "module"),
                      (f"/courses/{module.slug}/lessons/lesson-1/side-by-side/", "side-by-side")]:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(screenshot_dir / f"courses-phone-{name}.png"), full_page=True)
        assert width <= 360, f"{url} is {width}px wide on a 360px phone"
    context.close()
