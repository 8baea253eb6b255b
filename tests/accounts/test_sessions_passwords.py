"""Sessions expire (ESSOR_SESSION_DAYS) and passwords are checked by Django's validators, in the user's language."""
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tests.accounts.test_accounts import signup_data
from tests.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parent.parent.parent
pytestmark = pytest.mark.django_db


def settings_value(expression: str, **env) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "ESSOR_DEMO": "1", **env}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_sessions_last_fourteen_days_unless_configured(tmp_path):
    assert settings_value("settings.SESSION_COOKIE_AGE", ESSOR_VAR_DIR=str(tmp_path)) == str(14 * 24 * 3600)
    assert settings_value("settings.SESSION_COOKIE_AGE", ESSOR_VAR_DIR=str(tmp_path), ESSOR_SESSION_DAYS="2") == str(2 * 24 * 3600)
    assert settings_value("'sessions-clear' in settings.CELERY_BEAT_SCHEDULE", ESSOR_VAR_DIR=str(tmp_path)) == "True"


def test_the_log_in_cookie_expires_and_an_expired_session_logs_out(client, settings):
    settings.SESSION_COOKIE_AGE = 3 * 24 * 3600
    UserFactory(email="amina@example.org")
    response = client.post(reverse("accounts:login"), {"username": "amina@example.org", "password": PASSWORD})
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 3 * 24 * 3600
    assert client.get(reverse("accounts:profile")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    cache.clear()  # cached_db sessions: the cached copy goes with the row (as when it expires in the cache)
    assert client.get(reverse("accounts:profile")).status_code == 302  # back to the log-in page


def test_the_expired_sessions_task_deletes_them():
    from accounts.tasks import sessions_clear_task

    Session.objects.create(session_key="old", session_data="", expire_date=timezone.now() - timedelta(days=1))
    Session.objects.create(session_key="new", session_data="", expire_date=timezone.now() + timedelta(days=1))
    sessions_clear_task()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new"]


@pytest.mark.parametrize(("language", "password", "message"), [
    ("fr", "motdepasse", "Ce mot de passe est trop courant."),
    ("zh-hans", "Ab3-x", "密码太短：请至少使用 8 个字符。"),
    ("en", "98765432101", "This password is entirely numeric."),
    ("en", "LeaDupont", "The password is too similar to the name."),
])
def test_weak_passwords_are_refused_in_the_users_language(client, language, password, message):
    client.cookies["django_language"] = language
    response = client.post(reverse("accounts:signup"), signup_data(display_name="Lea Dupont", password=password))
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_password_change_form_uses_the_same_rules(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:password-change"),
                           {"old_password": PASSWORD, "new_password1": "password1", "new_password2": "password1"})
    assert response.status_code == 200 and "This password is too common." in response.content.decode()


def test_the_user_of_a_request_is_read_with_whether_they_are_intermediary_staff(staff, django_assert_num_queries):
    """accounts.backends.UserBackend reads the staff flag in the user's own query (an EXISTS, compiled once):
    right for staff and for others, and asking again costs no query."""
    from accounts.backends import UserBackend
    from accounts.models import IntermediaryStaff

    learner = UserFactory()
    with django_assert_num_queries(1):
        assert UserBackend().get_user(staff.pk).is_intermediary_staff is True
    with django_assert_num_queries(1):
        assert UserBackend().get_user(learner.pk).is_intermediary_staff is False
    IntermediaryStaff.objects.filter(user=staff).delete()
    assert UserBackend().get_user(staff.pk).is_intermediary_staff is False


def test_the_user_read_by_the_backend_is_the_user_the_orm_reads(django_assert_num_queries):
    """UserBackend's prepared SELECT gives every field the ORM gives (dates, flags, texts in any language),
    nobody for an unknown or malformed id, and nobody for a deactivated account."""
    from accounts.backends import UserBackend
    from accounts.models import User

    user = UserFactory(display_name="黎明 Lê Minh", email="le.minh@example.org")
    user.last_login = timezone.now() - timedelta(days=3, microseconds=17)
    user.save()
    with django_assert_num_queries(1):
        read = UserBackend().get_user(user.pk)
    expected = User.objects.get(pk=user.pk)
    fields = [field.attname for field in User._meta.concrete_fields]
    assert {name: getattr(read, name) for name in fields} == {name: getattr(expected, name) for name in fields}
    assert read.last_login == user.last_login and read.last_login.tzinfo is not None
    assert UserBackend().get_user(user.pk + 1000) is None
    assert UserBackend().get_user(str(user.pk)).pk == user.pk
    assert UserBackend().get_user("1 OR 1=1") is None and UserBackend().get_user(None) is None
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert UserBackend().get_user(user.pk) is None


def test_a_session_is_read_with_one_statement_and_reads_what_djangos_store_reads(django_assert_num_queries):
    """accounts.sessions: the same data as Django's database store, in one query; an expired or unknown session is
    empty and loses its key (a new one is made if the request writes), a malformed key costs no query."""
    from django.contrib.sessions.backends.db import SessionStore as DjangoStore

    from accounts.sessions import SessionStore

    original = DjangoStore()
    original.update({"_auth_user_id": "42", "名字": "黎明", "n": [1, 2]})
    original.create()
    store = SessionStore(original.session_key)
    with django_assert_num_queries(1):
        data = store.load()
    assert data == DjangoStore(original.session_key).load() == {"_auth_user_id": "42", "名字": "黎明", "n": [1, 2]}
    assert store.session_key == original.session_key
    Session.objects.filter(session_key=original.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    store = SessionStore(original.session_key)
    assert store.load() == {} and store.session_key is None
    store = SessionStore("k" * 32)
    assert store.load() == {} and store.session_key is None
    with django_assert_num_queries(0):
        assert SessionStore("short").load() == {}
