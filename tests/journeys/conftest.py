"""The four journeys' tools: a `journey` per role, width and language that screenshots every step into
var/journeys/<journey>-<width>/ (under ESSOR_VAR_DIR), runs axe-core on every page it shows, and records
every request the pages make (only the live server may be asked)."""
from __future__ import annotations

import contextlib
import json
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

from tests.conftest import BROWSER_TIMEOUT_MS, browser_login
from tests.factories import PASSWORD

# Each journey runs twice: on a desktop in French and on a phone in Chinese (the interface language follows the
# user's profile and the browser's; the learner journey also switches the content language inside the journey).
WIDTHS = [
    pytest.param((1280, 800, "fr"), id="1280-fr"),
    pytest.param((360, 740, "zh-hans"), id="360-zh-hans"),
]
BROWSER_LOCALES = {"fr": "fr-FR", "zh-hans": "zh-CN", "en": "en-GB"}
# expect(...) waits as long as any other browser step (its default, 5 s, is short on a busy 2-core machine).
expect.set_options(timeout=BROWSER_TIMEOUT_MS)
# axe-core's impacts that fail a journey.
BLOCKING_IMPACTS = {"serious", "critical"}


def journeys_dir() -> Path:
    return Path(settings.VAR_DIR) / "journeys"


_axe = None


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as shown now. axe.min.js (from axe-playwright-python, never served by the
    site) is evaluated through the DevTools protocol (page.evaluate), which the page's CSP does not apply to."""
    global _axe
    if _axe is None:
        from axe_playwright_python.sync_playwright import Axe

        _axe = Axe()
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe.axe_script)
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [" ".join(node["target"]) if isinstance(node["target"][0], str) else str(node["target"])
                       for node in v["nodes"]][:5]}
            for v in results["violations"]]


class Journey:
    """One journey at one width in one language: actors (browser pages logged in as someone), numbered steps."""

    def __init__(self, browser, live_server, name: str, width: int, height: int, language: str):
        self.browser, self.live_server = browser, live_server
        self.name, self.width, self.height, self.language = name, width, height, language
        self.folder = journeys_dir() / f"{name}-{width}"
        if self.folder.exists():
            for old in self.folder.glob("*.png"):
                old.unlink()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.server_host = urlsplit(live_server.url).netloc
        self.count = 0
        self.contexts = []
        self.requests: list[str] = []
        self.axe: dict[str, list[dict]] = {}
        self.started = time.monotonic()

    def t(self, msgid: str, **values) -> str:
        """The interface text of `msgid` in the journey's language."""
        with translation.override(self.language):
            text = translation.gettext(msgid)
        return text % values if values else text

    def actor(self, user=None, *, language: str | None = None):
        """A new browser (own cookies) at the journey's size and language; logged in as `user` when given."""
        context = self.browser.new_context(viewport={"width": self.width, "height": self.height},
                                           base_url=self.live_server.url,
                                           locale=BROWSER_LOCALES[language or self.language],
                                           accept_downloads=True)
        context.on("request", lambda request: self.requests.append(request.url))
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(BROWSER_TIMEOUT_MS)
        if user is not None:
            browser_login(page, user.email, PASSWORD)
        return page

    def step(self, page, name: str) -> None:
        """Screenshot the page as the user sees it now and run axe-core on it."""
        page.wait_for_load_state()
        self.count += 1
        label = f"{self.count:02d}-{name}"
        page.screenshot(path=str(self.folder / f"{label}.png"), full_page=True)
        self.axe[f"{label} {urlsplit(page.url).path}"] = axe_violations(page)

    def blocking(self) -> dict[str, list[dict]]:
        return {step: [v for v in found if v["impact"] in BLOCKING_IMPACTS]
                for step, found in self.axe.items() if any(v["impact"] in BLOCKING_IMPACTS for v in found)}

    def third_party(self) -> list[str]:
        return sorted({url for url in self.requests
                       if not url.startswith(("data:", "blob:")) and urlsplit(url).netloc != self.server_host})

    def failure_screenshots(self) -> None:
        """Every open page as it was when the journey failed (NN-failure-*.png), to see what the user saw."""
        for n, context in enumerate(self.contexts, start=1):
            for page in context.pages:
                # A page that cannot be drawn any more leaves nothing to show.
                with contextlib.suppress(Exception):
                    page.screenshot(path=str(self.folder / f"{self.count + 1:02d}-failure-{n}.png"), full_page=True)

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        seconds = round(time.monotonic() - self.started, 1)
        (self.folder / "axe.json").write_text(json.dumps(
            {"journey": self.name, "width": self.width, "language": self.language, "seconds": seconds,
             "steps": self.count, "violations": self.axe}, ensure_ascii=False, indent=1))


@pytest.fixture(params=WIDTHS)
def journey(request, browser, live_server):
    """journey.actor(user) -> a page; journey.step(page, "name") after every step. At the end: 0 serious or critical
    axe-core violations on every page shown, and no request to any host but the live server."""
    width, height, language = request.param
    name = re.sub(r"^test_", "", request.node.originalname).split("_")[0]
    journey = Journey(browser, live_server, name, width, height, language)
    yield journey
    report = getattr(request.node, "journey_call_report", None)
    if report is not None and report.failed:
        journey.failure_screenshots()
    journey.close()
    assert journey.third_party() == [], "requests to other hosts: " + ", ".join(journey.third_party())
    blocking = journey.blocking()
    assert blocking == {}, "axe-core, serious or critical:\n" + json.dumps(blocking, ensure_ascii=False, indent=1)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if call.when == "call":
        item.journey_call_report = report
    return report


def pytest_terminal_summary(terminalreporter):
    ran = [report for reports in terminalreporter.stats.values() for report in reports
           if getattr(report, "nodeid", "").startswith("tests/journeys/test_") and getattr(report, "when", "") == "call"]
    folder = journeys_dir()
    if not ran or not folder.exists():
        return
    terminalreporter.write_sep("-", "journeys")
    terminalreporter.write_line(f"Screenshots of every journey step: {folder}/")
    for summary in sorted(folder.glob("*/axe.json")):
        data = json.loads(summary.read_text())
        serious = sum(1 for found in data["violations"].values() for v in found if v["impact"] in BLOCKING_IMPACTS)
        terminalreporter.write_line(f"  {summary.parent.name}: {data['steps']} steps, {data['seconds']} s, "
                                    f"axe serious/critical: {serious}")
