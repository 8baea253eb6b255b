"""API rate limits: counted in a cache that every web process shares, per real client address (a spoofed
X-Forwarded-For does not reset them; ESSOR_NUM_PROXIES says how many proxies to trust)."""
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
# /api/schema/ is the API's anonymous endpoint (the others need a token or a session), so it carries the anonymous limit.
ANONYMOUS_URL = "/api/schema/"


@pytest.fixture
def anon_rate(monkeypatch):
    # DRF copies the rates into the throttle classes when they are imported: set them on the class.
    from api.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "100000/minute"})


def test_a_spoofed_forwarded_for_does_not_reset_the_anonymous_limit(client, anon_rate):
    statuses = [client.get(ANONYMOUS_URL, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(6)]
    assert statuses == [200, 200, 200, 429, 429, 429]


def test_behind_one_trusted_proxy_each_client_address_has_its_own_counter(client, settings, anon_rate):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    # The proxy appends the address it saw; what the client wrote before it is ignored.
    first = [client.get(ANONYMOUS_URL, HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 198.51.100.7").status_code for n in range(4)]
    assert first == [200, 200, 200, 429]
    assert client.get(ANONYMOUS_URL, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 200


def test_the_number_of_trusted_proxies_comes_from_the_environment(tmp_path):
    code = "from django.conf import settings; print(settings.REST_FRAMEWORK['NUM_PROXIES'], settings.ESSOR_NUM_PROXIES)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "ESSOR_DEMO": "1", "ESSOR_VAR_DIR": str(tmp_path)}
    run = lambda **extra: subprocess.run(  # noqa: E731
        [sys.executable, "-c", "import django; django.setup(); " + code], cwd=ROOT, env={**env, **extra},
        capture_output=True, text=True, check=True).stdout.split()
    assert run() == ["0", "0"]
    assert run(ESSOR_NUM_PROXIES="2") == ["2", "2"]


def _gunicorn(tmp_path: Path, name: str, env: dict) -> tuple[subprocess.Popen, str]:
    """A gunicorn server with one worker on a free port; returns it and its base URL."""
    log_path = tmp_path / f"{name}.log"
    log = open(log_path, "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", "127.0.0.1:0", "-w", "1", "--log-level", "info"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        match = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", log_path.read_text())
        if match and "Booting worker" in log_path.read_text():
            return process, match.group(1)
        if process.poll() is not None:
            break
        time.sleep(0.2)
    process.kill()
    raise AssertionError(f"gunicorn {name} did not start:\n{log_path.read_text()}")


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (http://127.0.0.1 only)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.integration
def test_two_processes_share_the_anonymous_limit_with_the_default_cache(tmp_path):
    """Two separate server processes, the default set-up (no CACHE_URL): together they let 3 requests through."""
    env = {key: value for key, value in os.environ.items() if key not in {"CACHE_URL", "DJANGO_SETTINGS_MODULE"}}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings", "ESSOR_DEMO": "1", "ESSOR_VAR_DIR": str(tmp_path / "var"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}", "ESSOR_API_ANON_RATE": "3/minute"}
    servers = [_gunicorn(tmp_path, name, env) for name in ("a", "b")]
    try:
        statuses = [_status(servers[n % 2][1] + ANONYMOUS_URL) for n in range(8)]
    finally:
        for process, _url in servers:
            process.terminate()
            process.wait(timeout=20)
    assert statuses.count(200) == 3, statuses
    assert statuses.count(429) == 5, statuses
    assert any((tmp_path / "var" / "cache").iterdir())
