"""Settings come from the environment; production refuses to start without a secret key."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(args, extra_env, drop=()):
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith(("DJANGO_", "ESSOR_", "DATABASE_URL"))}
    env.update(extra_env)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("command", [["manage.py", "check"], ["-c", "import config.wsgi"]])
def test_production_without_secret_key_fails_with_a_clear_message(tmp_path, command):
    result = _run(command, {"DJANGO_DEBUG": "0", "ESSOR_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize(("key", "message"), [
    ("", "ESSOR_CREDENTIALS_SIGNING_KEY is not set"),
    ("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "is not a valid Ed25519 private key"),  # a public key
])
def test_production_without_a_valid_signing_key_fails_with_a_clear_message(tmp_path, key, message):
    env = _env_example() | {"ESSOR_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
                             "CELERY_BROKER_URL": "memory://", "CACHE_URL": "locmem://", "ESSOR_CREDENTIALS_SIGNING_KEY": key}
    result = _run(["manage.py", "check"], env)
    assert result.returncode != 0 and message in result.stderr, result.stderr[-500:]
    assert "credentials_key" in result.stderr


def test_the_key_command_runs_anywhere_and_prints_a_usable_key(tmp_path):
    result = _run(["manage.py", "credentials_key"], {"ESSOR_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    key = result.stdout.split("ESSOR_CREDENTIALS_SIGNING_KEY=")[1].split()[0]
    env = _env_example() | {"ESSOR_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
                             "CELERY_BROKER_URL": "memory://", "CACHE_URL": "locmem://", "ESSOR_CREDENTIALS_SIGNING_KEY": key}
    assert _run(["manage.py", "check"], env).returncode == 0


def test_commands_that_sign_nothing_run_in_a_bare_checkout(tmp_path):
    result = _run(["manage.py", "makemigrations", "--check", "--dry-run"], {"ESSOR_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
    assert not (tmp_path / "secret_key").exists()


def test_demo_mode_generates_a_secret_key_into_var(tmp_path):
    result = _run(["manage.py", "check"], {"ESSOR_DEMO": "1", "ESSOR_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50


def _env_example() -> dict:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
    return values


def _signing_key() -> str:
    from credentials.keys import private_multibase_new

    return private_multibase_new()


def test_check_deploy_is_clean_with_the_production_variables(tmp_path):
    env = _env_example() | {"ESSOR_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
                             "CELERY_BROKER_URL": "memory://", "CACHE_URL": "locmem://",
                             "ESSOR_CREDENTIALS_SIGNING_KEY": _signing_key()}
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("file:///tmp/mails", "django.core.mail.backends.filebased.EmailBackend"),
        ("smtp+tls://u:p@mail.example.org:587", "django.core.mail.backends.smtp.EmailBackend"),
        ("console://", "django.core.mail.backends.console.EmailBackend"),
    ],
)
def test_email_url_is_understood(url, backend, tmp_path):
    from config.env import email_settings

    assert email_settings(url, tmp_path)["EMAIL_BACKEND"] == backend


def test_an_unknown_email_url_is_refused(tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    from config.env import email_settings

    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_settings("pigeon://coop", tmp_path)


def test_sqlite_uses_wal_and_immediate_transactions(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite-specific settings; this run uses another database.")
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
