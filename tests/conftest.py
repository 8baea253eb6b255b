"""Shared fixtures: users by role, API clients, a real Celery worker, a Chromium browser."""
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.factories import (
    AssociationFactory,
    IntermediaryFactory,
    IntermediaryStaffFactory,
    UserFactory,
)

# Playwright's sync API keeps an event loop in the test thread; the ORM calls made by the
# tests themselves are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Playwright applies its network emulation (context.set_offline) to service workers only with this flag:
# without it a worker's fetches still reach the server while the page is "offline" (tests/learners/test_offline_browser.py).
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# How long a browser step may wait (navigation, click, selector). Not a speed check: on a shared 2-core
# machine under load a certificate page took over 15 s to load; ESSOR_BROWSER_TIMEOUT_MS overrides it.
BROWSER_TIMEOUT_MS = int(os.environ.get("ESSOR_BROWSER_TIMEOUT_MS", "60000"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (module outlines are cached by content stamp)."""
    from django.core.cache import cache

    cache.clear()
    yield
    # social-auth caches the backends it loaded in a module global, whatever the settings say afterwards: a test
    # that turned WeChat log-in on would leave it on for the next tests of the worker.
    from social_core.backends import utils as social_backends

    social_backends.BACKENDSCACHE = {}


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the settings' language. A request as a user activates their language on this thread
    (accounts.middleware, the courses API) and nothing in a test process resets it: a later test on the same
    worker calling a service directly would read its messages in Chinese."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def learner(db):
    return UserFactory(is_learner=True, association=AssociationFactory())


@pytest.fixture
def other_learner(db):
    return UserFactory(is_learner=True, association=AssociationFactory())


@pytest.fixture
def trainer(db):
    return UserFactory(is_trainer=True)


@pytest.fixture
def coach(db):
    return UserFactory(is_coach=True)


@pytest.fixture
def admin_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def intermediary(db):
    return IntermediaryFactory()


@pytest.fixture
def staff(db, intermediary):
    return IntermediaryStaffFactory(intermediary=intermediary, is_manager=True).user


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_as():
    """api_as(user) -> an APIClient logged in as that user."""

    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def client_as(client):
    """client_as(user) -> the Django test client logged in as that user."""

    def make(user):
        client.force_login(user)
        return client

    return make


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """A `celery worker` process started by `worker_factory`."""

    def __init__(self, process, log_path: Path, mail_dir: Path):
        self.process, self.log_path, self.mail_dir = process, log_path, mail_dir

    def log(self) -> str:
        return self.log_path.read_text()

    def wait_for(self, predicate, timeout: float = 60.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError("The Celery worker exited:\n" + self.log())
            result = predicate()
            if result:
                return result
            time.sleep(0.2)
        raise AssertionError("Timed out waiting for the worker. Its log:\n" + self.log())

    def mails(self) -> list[str]:
        """The emails written so far (a file the backend has opened but not yet written is not one yet)."""
        return [text for path in sorted(self.mail_dir.glob("*.log")) if (text := path.read_text())]

    def kill(self) -> None:
        """SIGKILL: the worker dies at once, in the middle of whatever it runs."""
        self.process.kill()
        self.process.wait(timeout=15)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture
def worker_factory(transactional_db, tmp_path):
    """worker_factory(**env) -> a new real `celery worker` process on the configured broker, reading the
    test database. Every worker of a test consumes the test's own queue (so a second worker takes over
    from a killed one) and writes emails to the same folder; extra `env` reaches its settings."""
    from config.celery import app

    queue = f"test-{uuid.uuid4().hex[:12]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    workers: list[Worker] = []
    # With the CELERY_ settings namespace, the prefixed keys are the ones Celery reads.
    previous = (app.conf.CELERY_TASK_ALWAYS_EAGER, app.conf.CELERY_TASK_DEFAULT_QUEUE)
    app.conf.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.CELERY_TASK_DEFAULT_QUEUE = queue

    def start(**extra_env) -> Worker:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "ESSOR_DEMO": "1",
            "DATABASE_URL": _database_url(),
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "EMAIL_URL": f"file://{mail_dir}",
            **{key: str(value) for key, value in extra_env.items()},
        }
        log_path = tmp_path / f"worker-{len(workers) + 1}.log"
        log = open(log_path, "w")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "-Q", queue, "--loglevel=INFO", "--include=tests.fault_hooks"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        log.close()
        worker = Worker(process, log_path, mail_dir)
        workers.append(worker)
        return worker

    try:
        yield start
    finally:
        app.conf.CELERY_TASK_ALWAYS_EAGER, app.conf.CELERY_TASK_DEFAULT_QUEUE = previous
        for worker in workers:
            worker.stop()


@pytest.fixture
def celery_worker(worker_factory):
    """One real worker (see worker_factory): `mail_dir`, `mails()`, `wait_for(predicate)`."""
    return worker_factory()


# Every browser context reports the page's Content-Security-Policy violations to the console, where the
# context's listener collects them; a browser test with any violation fails (_no_csp_violations below).
CSP_LISTENER = """document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP-VIOLATION " + event.effectiveDirective + " blocked " + (event.blockedURI || "inline") +
                " in " + event.sourceFile + ":" + event.lineNumber + " on " + event.documentURI);
}, true);"""
CSP_VIOLATIONS: list[str] = []


def _collect_csp_violation(message) -> None:
    text = message.text
    if text.startswith("CSP-VIOLATION") or "Content Security Policy" in text:
        CSP_VIOLATIONS.append(text)


class CspWatchedBrowser:
    """Playwright's Browser, whose new contexts watch for CSP violations (every other call passes through)."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **kwargs):
        context = self._browser.new_context(**kwargs)
        context.add_init_script(CSP_LISTENER)
        context.on("console", _collect_csp_violation)
        return context

    def new_page(self, **kwargs):
        return self.new_context(**kwargs).new_page()

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser); its contexts watch for CSP violations."""
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        pytest.fail("Chromium is not installed: apt-get install -y chromium fonts-wqy-microhei (.ci/run does it).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield CspWatchedBrowser(browser)
        browser.close()


@pytest.fixture(autouse=True)
def _no_csp_violations(request):
    """A test that drives the browser fails when a page broke the Content-Security-Policy (the count must be 0)."""
    if "browser" not in request.fixturenames:
        yield
        return
    CSP_VIOLATIONS.clear()
    yield
    violations, CSP_VIOLATIONS[:] = list(CSP_VIOLATIONS), []
    assert violations == [], f"{len(violations)} Content-Security-Policy violation(s):\n" + "\n".join(violations)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1100, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    yield page
    context.close()


def browser_login(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def screenshot_dir() -> Path:
    path = ROOT / "var" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def wait_until(page, expression: str, timeout_ms: int | None = None) -> None:
    """page.wait_for_function for pages under the Content-Security-Policy: Playwright's polling evaluates
    its predicate with eval() inside the page, which script-src 'self' refuses; page.evaluate does not."""
    import time

    from playwright.sync_api import Error

    def holds() -> bool:
        try:
            return bool(page.evaluate(expression))
        except Error as error:  # the page navigated while the predicate ran: ask the new page
            if "Execution context was destroyed" not in str(error):
                raise
            return False

    deadline = time.monotonic() + (timeout_ms or BROWSER_TIMEOUT_MS) / 1000
    while not holds():
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout_ms or BROWSER_TIMEOUT_MS} ms: {expression}")
        page.wait_for_timeout(100)
