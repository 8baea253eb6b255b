"""`make run` on another port, the Makefile's test-fast and clean-demo rules, and a quiet broker URL
(issue 12, item 12)."""
import logging
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from kombu import Connection

ROOT = Path(settings.BASE_DIR)


def _make_dry_run(*args: str) -> str:
    result = subprocess.run(["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "MAKEFLAGS": ""})
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_run_takes_a_port():
    out = _make_dry_run("run", "PORT=8123")
    assert "127.0.0.1:8123" in out and "honcho start" in out and "-p 8123" in out
    assert "8000" not in out
    procfile = (ROOT / "Procfile").read_text()
    web = next(line for line in procfile.splitlines() if line.startswith("web:"))
    assert "$PORT" in web and "8000" not in web


def test_the_default_site_url_follows_the_port(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("ESSOR_SITE_URL", "PORT")}
    code = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    for port, expected in [(None, "http://127.0.0.1:8000"), ("8123", "http://127.0.0.1:8123")]:
        run_env = {**env, "DJANGO_SETTINGS_MODULE": "config.settings", "ESSOR_DEMO": "1", **({"PORT": port} if port else {})}
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=run_env, capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().splitlines()[-1] == expected


def test_test_fast_and_clean_demo_have_rules():
    fast = _make_dry_run("test-fast")
    assert "pytest" in fast and "not browser" in fast and "not integration" in fast and "-n auto" in fast
    clean = _make_dry_run("clean-demo", "YES=1")
    assert "essor.sqlite3" in clean and "rm " in clean


def test_the_default_broker_names_its_host(caplog):
    """kombu warned "No hostname was supplied. Reverting to default 'localhost'" on every connection (seed_demo)."""
    with caplog.at_level(logging.WARNING, logger="kombu.connection"):
        Connection(settings.CELERY_BROKER_URL, transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS).as_uri()
    assert "No hostname" not in caplog.text
