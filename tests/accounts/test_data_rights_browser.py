"""In Chromium: a learner downloads their data from the profile page, deletes their account with
their password; then logging in fails and the public check of their certificate says it is revoked.
Screenshots go to var/screenshots/data-rights-*.png."""
import json

import pytest

from tests.conftest import browser_login
from tests.credentials.conftest import SITE, TEST_KEY
from tests.factories import PASSWORD

from .data_rights_world import SECRETS, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def signing(settings, tmp_path):
    settings.CREDENTIALS_SIGNING_KEY = TEST_KEY
    settings.CREDENTIALS_RETIRED_KEYS = []
    settings.SITE_URL = SITE
    settings.VAR_DIR = tmp_path


def test_a_learner_downloads_their_data_then_deletes_their_account(page, live_server, staff, screenshot_dir):
    world = build_world(staff, password=PASSWORD)
    code = world.certificate.code
    browser_login(page, SECRETS["email"], PASSWORD)

    page.goto("/accounts/profile/")
    assert page.locator("#my-data .consents li").count() == 1  # the cohort join consent, in French
    page.screenshot(path=str(screenshot_dir / "data-rights-profile.png"), full_page=True)
    with page.expect_download() as download_info:
        page.click("#my-data button[data-export]")
    download = download_info.value
    assert download.suggested_filename.startswith("essor-my-data-") and download.suggested_filename.endswith(".json")
    with open(download.path(), encoding="utf-8") as handle:
        data = json.load(handle)
    assert data["sections"]["profile"]["email"] == SECRETS["email"]
    assert data["sections"]["certificates"][0]["code"] == code
    assert data["sections"]["coaching_requests"][0]["need"] == SECRETS["need"]

    page.click("#delete a.btn-danger")
    page.wait_for_load_state()
    assert page.url.endswith("/accounts/profile/delete/")
    page.fill("input[name=password]", "not my password")
    page.check("input[name=confirm]")
    page.click("form[data-account-delete] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".errorlist").count() >= 1  # wrong password: nothing deleted
    page.fill("input[name=password]", PASSWORD)
    page.check("input[name=confirm]")
    page.screenshot(path=str(screenshot_dir / "data-rights-delete.png"), full_page=True)
    page.click("form[data-account-delete] button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/accounts/deleted/")

    browser_login(page, SECRETS["email"], PASSWORD)
    assert page.url.split("?")[0].endswith("/accounts/login/")
    assert page.locator(".errorlist, .errornote, [role=alert]").count() >= 1
    page.goto("/accounts/profile/")
    assert "/accounts/login/" in page.url  # not logged in

    page.goto(f"/verify/{code}/")
    assert page.locator(".verify-verdict.verify-bad").count() == 1
    assert "Revoked certificate" in page.locator(".verify-verdict").inner_text()
    assert SECRETS["display_name"] not in page.content()
    page.screenshot(path=str(screenshot_dir / "data-rights-verify-revoked.png"), full_page=True)
