"""Pages stay light on a slow connection: a lesson page (HTML, CSS, JS, images) at most 100 KB transferred, the
dashboard of a cohort of 200 learners at most 250 KB, both compressed as Chromium asks for them (Accept-Encoding: gzip,
the site's GZip middleware), and no request to any host but the site."""
from urllib.parse import urlsplit

import pytest

from learners.services import enrollment_create
from tests.cohorts.factories import bulk_cohort
from tests.conftest import BROWSER_TIMEOUT_MS, browser_login
from tests.factories import PASSWORD, IntermediaryStaffFactory, UserFactory
from tests.learners.factories import curriculum_module, module_with_lessons

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KB = 1000


def transferred(browser, live_server, user, url: str) -> tuple[int, dict[str, int], list[str]]:
    """Bytes on the wire (headers and encoded bodies) of everything `url` loads, per request, and the other hosts asked."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    browser_login(page, user.email, PASSWORD)
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    assert response.ok and response.headers.get("content-encoding") == "gzip", response.headers
    sizes = {}
    for request in finished:
        size = request.sizes()
        sizes[request.url] = size["responseBodySize"] + size["responseHeadersSize"]
    server = urlsplit(live_server.url).netloc
    others = sorted({r.url for r in finished if urlsplit(r.url).netloc != server and not r.url.startswith("data:")})
    context.close()
    return sum(sizes.values()), sizes, others


def test_a_lesson_page_weighs_at_most_100_kb(browser, live_server):
    module = curriculum_module("basic-finance")
    learner = UserFactory(is_learner=True, preferred_language="zh-hans")
    enrollment_create(user=learner, module=module)
    heaviest = (0, {}, [])
    for lesson in module.lessons.order_by("position"):
        result = transferred(browser, live_server, learner, f"/learn/{module.slug}/{lesson.slug}/")
        assert result[2] == [], f"requests to other hosts: {result[2]}"
        heaviest = max(heaviest, result, key=lambda item: item[0])
    total, sizes, _ = heaviest
    assert total <= 100 * KB, f"{total} bytes: {sizes}"


def test_the_dashboard_of_200_learners_weighs_at_most_250_kb(browser, live_server):
    staff = IntermediaryStaffFactory(is_manager=True).user
    cohort = bulk_cohort(staff, learners=200, module_list=[module_with_lessons(lessons=5, questions=1) for _ in range(3)])
    total, sizes, others = transferred(browser, live_server, staff, f"/cohorts/{cohort.pk}/")
    assert others == [], f"requests to other hosts: {others}"
    assert total <= 250 * KB, f"{total} bytes: {sizes}"
