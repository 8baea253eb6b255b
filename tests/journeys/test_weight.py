"""Pages stay light on a slow connection: a lesson page (HTML, CSS, JS, images) at most 100 KB transferred, the
dashboard of a cohort of 200 learners at most 250 KB, both compressed as Chromium asks for them (Accept-Encoding: gzip,
the site's GZip middleware), and no request to any host but the site."""
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

import pytest

from learners.services import enrollment_create
from tests.cohorts.factories import bulk_cohort
from tests.conftest import BROWSER_TIMEOUT_MS, browser_login
from tests.factories import PASSWORD, IntermediaryStaffFactory, UserFactory
from tests.learners.factories import curriculum_module, module_with_lessons

from .conftest import journeys_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KB = 1000


def record(name: str, total: int) -> None:
    """The measured weight, beside the journeys' screenshots (var/journeys/weight-<page>.txt)."""
    folder = journeys_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"weight-{name}.txt").write_text(f"{total} bytes transferred\n")


def transferred(browser, live_server, user, url: str) -> tuple[int, dict[str, int], list[str]]:
    """Bytes on the wire of everything `url` loads (the page and every CSS, JS and image it asks for), each fetched
    again as a browser would (its cookies, Accept-Encoding: gzip) and measured before decompression; and the other
    hosts the page asked."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    browser_login(page, user.email, PASSWORD)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
    context.close()
    server = urlsplit(live_server.url).netloc
    others = sorted({u for u in asked if urlsplit(u).netloc != server and not u.startswith("data:")})
    sizes = {}
    for address in dict.fromkeys(u for u in asked if urlsplit(u).netloc == server):
        request = Request(address, headers={"Accept-Encoding": "gzip", "Cookie": cookies})  # noqa: S310 (http, the live server)
        with urlopen(request) as response:  # noqa: S310 (http, the live server)
            body = response.read()
            if urlsplit(address).path == url:
                assert response.headers.get("Content-Encoding") == "gzip", dict(response.headers)
            sizes[address] = len(body) + len(str(response.headers))
    assert sizes, f"the page asked nothing of {server}: {asked}"
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
    record("lesson", total)
    assert total <= 100 * KB, f"{total} bytes: {sizes}"


def test_the_dashboard_of_200_learners_weighs_at_most_250_kb(browser, live_server):
    staff = IntermediaryStaffFactory(is_manager=True).user
    cohort = bulk_cohort(staff, learners=200, module_list=[module_with_lessons(lessons=5, questions=1) for _ in range(3)])
    total, sizes, others = transferred(browser, live_server, staff, f"/cohorts/{cohort.pk}/")
    assert others == [], f"requests to other hosts: {others}"
    record("dashboard-200", total)
    assert total <= 250 * KB, f"{total} bytes: {sizes}"
