"""The learner's journey in Chromium: catalogue → enrol → read in zh-hans → switch to fr mid-module and
back → side by side → every lesson done → quiz passed → certificate → public check. Screenshots at
1100 px and 360 px go to var/screenshots/learners-*.png."""
import pytest

from courses.models import Choice
from learners.models import Certificate, Enrollment
from tests.conftest import browser_login
from tests.factories import PASSWORD, UserFactory
from tests.learners.factories import curriculum_module, diagnostic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def prose_language(page) -> str:
    return page.locator("article.lesson .prose").first.get_attribute("lang")


def mark_done(page) -> None:
    page.click(".lesson-done button[type=submit]")
    page.wait_for_load_state()


def test_from_the_catalogue_to_a_verified_certificate(page, browser, live_server, screenshot_dir):
    module = curriculum_module("basic-finance")
    curriculum_module("volunteer-management")
    diagnostic()
    user = UserFactory(email="wang@example.org", display_name="王芳", preferred_language="zh-hans", is_learner=True)
    browser_login(page, user.email, PASSWORD)
    shots = {}

    page.goto("/learn/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    shots["catalogue"] = page.url
    page.screenshot(path=str(screenshot_dir / "learners-catalogue.png"), full_page=True)
    page.click("a:has-text('基础财务管理')")
    page.wait_for_load_state()
    page.click(f"form[action='/learn/{module.slug}/enrol/'] button[type=submit]")
    page.wait_for_load_state()
    lessons = list(module.lessons.order_by("position"))
    assert page.url.endswith(f"/learn/{module.slug}/{lessons[0].slug}/")
    assert prose_language(page) == "zh-hans"
    assert Enrollment.objects.get(user=user).content_language == "zh-hans"
    shots["lesson-zh-hans"] = page.url
    page.screenshot(path=str(screenshot_dir / "learners-lesson-zh-hans.png"), full_page=True)

    mark_done(page)
    mark_done(page)
    # Mid-module: switch to French on lesson 3, the place is kept and saved on the enrolment.
    place = page.url
    assert place.endswith(f"/{lessons[2].slug}/")
    page.click("form.lang-buttons button[value=fr]")
    page.wait_for_load_state()
    assert page.url == place and prose_language(page) == "fr"
    assert Enrollment.objects.get(user=user).content_language == "fr"
    mark_done(page)
    assert prose_language(page) == "fr"  # the next lesson too
    page.click("form.lang-buttons button[value=zh-hans]")
    page.wait_for_load_state()
    assert page.url.endswith(f"/{lessons[3].slug}/") and prose_language(page) == "zh-hans"

    # Side by side on this lesson: two columns on a desktop (one row per section, tests/core/test_design_browser.py).
    page.click("a[href*='view=side-by-side']")
    page.wait_for_load_state()
    columns = page.locator(".side-by-side > .sbs-row").first.locator(".column")
    assert columns.count() == 2
    assert [columns.nth(i).get_attribute("lang") for i in range(2)] == ["zh-hans", "fr"]
    first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert abs(first["y"] - second["y"]) < 2 and second["x"] > first["x"] + first["width"] - 1
    shots["lesson-side-by-side"] = page.url
    page.screenshot(path=str(screenshot_dir / "learners-lesson-side-by-side.png"), full_page=True)

    while page.locator(".lesson-done button[type=submit]").count():
        mark_done(page)
    assert page.url.endswith(f"/learn/{module.slug}/quiz/")
    assert Enrollment.objects.get(user=user).lessons_done == len(lessons)

    correct = Choice.objects.filter(question__quiz__module=module, is_correct=True).values_list("pk", flat=True)
    for choice_id in correct:
        page.check(f"input[value='{choice_id}']")
    page.click("form.quiz button[type=submit]")
    page.wait_for_load_state()
    assert "100 %" in page.locator(".score").inner_text()
    assert page.locator(".completion").count() == 1
    shots["quiz-result"] = page.url
    page.screenshot(path=str(screenshot_dir / "learners-quiz-result.png"), full_page=True)

    page.click(".completion a[href*='/learn/certificates/']")
    page.wait_for_load_state()
    certificate = Certificate.objects.get(user=user, module=module)
    # The certificate page belongs to the credentials app (tests/credentials cover its files).
    assert page.url.endswith(f"/certificates/{certificate.code}/")
    assert "王芳" in page.locator(".cred-facts").inner_text()
    shots["certificate"] = page.url
    page.screenshot(path=str(screenshot_dir / "learners-certificate.png"), full_page=True)
    page.goto(f"/learn/certificates/{certificate.code}/?lang=fr")
    assert "Gestion financière de base" in page.locator(".cred-facts").inner_text()

    page.goto(f"/verify/{certificate.code}")
    text = page.locator("main").inner_text()
    assert "王芳" in text and "基础财务管理" in text and user.email not in text
    page.goto("/verify/AAAAAAAAAAAAAAAA")
    assert "王芳" not in page.locator("main").inner_text()

    page.goto("/learn/dashboard/")
    shots["dashboard"] = page.url
    page.screenshot(path=str(screenshot_dir / "learners-dashboard.png"), full_page=True)

    # The same pages on a phone: readable at 360 px, no sideways scrolling, side by side stacked.
    phone = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server.url,
                                storage_state=page.context.storage_state())
    small = phone.new_page()
    for name, url in shots.items():
        small.goto(url)
        width = small.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{name} is {width}px wide at 360px"
        small.screenshot(path=str(screenshot_dir / f"learners-{name}-360.png"), full_page=True)
        if name == "lesson-side-by-side":
            columns = small.locator(".side-by-side > .sbs-row").first.locator(".column")
            assert columns.nth(1).bounding_box()["y"] > columns.nth(0).bounding_box()["y"] + 50
    phone.close()


# A word split across two lines inside a table cell ("1 20|0 €" for "1 200 €", "Mome|nt", "40 00|0") is misread:
# amounts and words in lesson tables must stay whole on a phone; a wide table scrolls sideways inside the text
# instead, in a region that takes the keyboard focus.
WORDS_SPLIT_IN_TABLE_CELLS = """() => {
  const split = [];
  const lines = (node, start, end) => {
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, end);
    return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((rect) => Math.round(rect.top))).size;
  };
  for (const cell of document.querySelectorAll('.prose td, .prose th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      // A word (a break after a hyphen or slash is fine; Chinese breaks between characters), and an amount
      // with its group separators.
      const word = /[^\\s\\/\u3000-\u9fff\uff00-\uffef-]+/g;
      const amount = /[-\u2212]?\\d(?:[\\d.,\u00a0\u202f ]*\\d)?(?:[\u00a0 ]?[€¥%元])?/g;
      for (const pattern of [word, amount]) {
        for (const match of node.data.matchAll(pattern)) {
          if (lines(node, match.index, match.index + match[0].length) > 1) split.push(match[0]);
        }
      }
    }
  }
  return split;
}"""

TABLE_REGIONS = """() => [...document.querySelectorAll('.prose table')].map((table) => {
  const region = table.parentElement;
  return {wrapped: region.classList.contains('table-scroll'), tabindex: region.getAttribute('tabindex'),
          role: region.getAttribute('role'), label: region.getAttribute('aria-label') || '',
          overflows: region.scrollWidth > region.clientWidth + 1, right: region.getBoundingClientRect().right};
})"""


@pytest.mark.parametrize(("slug", "lessons", "language"), [
    ("project-funding", ("project-budget", "logical-framework"), "fr"),
    ("basic-finance", ("cash-flow", "annual-budget"), "zh-hans"),
])
def test_lesson_tables_keep_words_and_amounts_whole_at_360_px(browser, live_server, screenshot_dir, slug, lessons, language):
    module = curriculum_module(slug)
    user = UserFactory(email=f"lea-{language}@example.org", preferred_language=language, is_learner=True)
    phone = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server.url)
    page = phone.new_page()
    browser_login(page, user.email, PASSWORD)
    page.goto(f"/learn/{module.slug}/")
    page.click(f"form[action='/learn/{module.slug}/enrol/'] button[type=submit]")
    page.wait_for_load_state()
    scrolled = False
    for lesson in lessons:
        page.goto(f"/learn/{module.slug}/{lesson}/")
        assert page.locator(".prose").first.get_attribute("lang") == language
        assert page.locator(".prose td").count() > 10
        assert page.evaluate(WORDS_SPLIT_IN_TABLE_CELLS) == [], lesson
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        regions = page.evaluate(TABLE_REGIONS)
        assert regions, lesson
        for region in regions:
            assert region["wrapped"] and region["tabindex"] == "0" and region["role"] == "region", region
            assert region["label"] and region["right"] <= 360, region
        if any(region["overflows"] for region in regions):
            # A table wider than the phone scrolls sideways with the keyboard, inside its region.
            index = next(i for i, region in enumerate(regions) if region["overflows"])
            region = page.locator(".prose .table-scroll").nth(index)
            region.focus()
            for _ in range(5):
                page.keyboard.press("ArrowRight")
            page.wait_for_function("(el) => el.scrollLeft > 0", arg=region.element_handle())
            scrolled = True
        page.screenshot(path=str(screenshot_dir / f"learners-table-{lesson}-{language}-360.png"), full_page=True)
    assert scrolled, "no table is wider than a phone: the test no longer checks the sideways scroll"
    phone.close()


def _answer(page, module, *, correct: bool, count: int | None = None) -> list[str]:
    """Tick one answer per question (the right one or a wrong one) on the quiz page; returns the values."""
    ticked = []
    for question in list(module.quiz.questions.order_by("position").prefetch_related("choices"))[:count]:
        choice = next(c for c in question.choices.all() if c.is_correct == correct)
        page.check(f"input[name='q-{question.pk}'][value='{choice.pk}']")
        ticked.append(str(choice.pk))
    return ticked


def _ticked(page) -> list[str]:
    return page.eval_on_selector_all("form.quiz input:checked", "inputs => inputs.map((i) => i.value)")


def test_quiz_answers_survive_an_expired_session_and_a_stale_form(browser, live_server, screenshot_dir):
    from django.contrib.sessions.models import Session

    from learners.models import QuizAttempt

    module = curriculum_module("basic-finance")
    user = UserFactory(email="chen@example.org", preferred_language="zh-hans", is_learner=True)
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server.url)
    page = context.new_page()
    browser_login(page, user.email, PASSWORD)
    page.goto(f"/learn/{module.slug}/")
    page.click(f"form[action='/learn/{module.slug}/enrol/'] button[type=submit]")
    page.goto(f"/learn/{module.slug}/quiz/")

    # Eight answers, then the session expires (the row is gone, as after SESSION_COOKIE_AGE) before sending.
    ticked = _answer(page, module, correct=True, count=8)
    assert len(ticked) == 8
    # Through the session engine: with cached_db (PostgreSQL + Redis) the cached copy goes with the row.
    from importlib import import_module

    from django.conf import settings

    engine = import_module(settings.SESSION_ENGINE)
    for key in Session.objects.values_list("session_key", flat=True):
        engine.SessionStore(session_key=key).delete()
    assert not Session.objects.exists()
    page.click("form.quiz button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url and QuizAttempt.objects.count() == 0
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    # Back on the quiz, the eight answers are there again, and the page says so.
    assert page.url.endswith(f"/learn/{module.slug}/quiz/")
    assert sorted(_ticked(page)) == sorted(ticked)
    assert page.locator("#answers-restored").is_visible()
    page.screenshot(path=str(screenshot_dir / "learners-quiz-restored-360.png"), full_page=True)
    rest = [str(c.pk) for q in module.quiz.questions.order_by("position").prefetch_related("choices")[8:]
            for c in q.choices.all() if c.is_correct]
    for value in rest:
        page.check(f"form.quiz input[value='{value}']")
    page.click("form.quiz button[type=submit]")
    page.wait_for_load_state()
    attempt = QuizAttempt.objects.get()
    assert page.url.endswith(f"/quiz/attempts/{attempt.pk}/") and attempt.passed

    # A stale form: the quiz open in a tab while the learner logs out and in again in another one.
    page.goto(f"/learn/{module.slug}/quiz/")
    assert _ticked(page) == []  # a submitted attempt is forgotten by the browser
    ticked = _answer(page, module, correct=False, count=3)
    other = context.new_page()
    other.goto("/")
    other.click(".nav-toggle")  # on a phone, "Log out" is in the header's menu
    other.click("form[action='/accounts/logout/'] button[type=submit]")
    browser_login(other, user.email, PASSWORD)
    other.close()
    page.click("form.quiz button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "此表单已过期"
    assert "CSRF" not in page.content()
    page.screenshot(path=str(screenshot_dir / "learners-form-expired-360.png"), full_page=True)
    page.click("main a.btn")
    page.wait_for_load_state()
    assert page.url.endswith(f"/learn/{module.slug}/quiz/")
    assert sorted(_ticked(page)) == sorted(ticked)
    assert QuizAttempt.objects.count() == 1
    context.close()
