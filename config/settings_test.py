"""Test settings: the real database and broker as configured, tasks eager unless a test runs a worker."""
import os

# Tests run in demo mode (generated secret key in var/); a test that needs production checks runs a subprocess.
os.environ.setdefault("ESSOR_DEMO", "1")

from .settings import *  # noqa: E402,F403
from .settings import STORAGES  # noqa: E402

CELERY_TASK_ALWAYS_EAGER = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Text messages kept in memory (core.sms.outbox); the browser test writes files under its VAR_DIR.
if not os.environ.get("SMS_URL"):
    SMS_BACKEND, SMS_OPTIONS = "core.sms.LocmemBackend", {}
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Generous rates so tests that send many requests are not throttled (a test sets its own).
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
}
# Tests read messages in English unless they choose a language (the site's default is French).
LANGUAGE_CODE = "en"
# The default file cache gets a folder per test process: `cache.clear()` before each test (tests/conftest.py)
# and the rate-limit counters must not reach another pytest-xdist worker. A file cache named by CACHE_URL is
# kept where it is named: a test's child processes get a folder of the test's own (tests/accounts/
# test_phone_processes.py); moved here, they shared one folder across tests and runs, which the parent
# clears only when its own cache is that folder (not on PostgreSQL + Redis: codes refused there).
if "filebased" in CACHES["default"]["BACKEND"] and not CACHE_URL:  # noqa: F405
    CACHES = {"default": {**CACHES["default"],  # noqa: F405
                          "LOCATION": str(VAR_DIR / "cache" / f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}")}}  # noqa: F405
# A Redis cache (the PostgreSQL + Redis suite) gets a database per pytest-xdist worker, for the same reason:
# `cache.clear()` empties the whole Redis database. gw0 keeps the configured one, gw1 the next, and so on.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if "redis" in CACHES["default"]["BACKEND"].lower() and _worker.startswith("gw") and _worker[2:].isdigit():  # noqa: F405
    _base, _, _db = CACHES["default"]["LOCATION"].rpartition("/")  # noqa: F405
    if _db.isdigit():
        CACHES = {"default": {**CACHES["default"], "LOCATION": f"{_base}/{int(_db) + int(_worker[2:])}"}}  # noqa: F405
