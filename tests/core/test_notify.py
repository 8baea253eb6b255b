"""Reminders, invitations and coaching news reach a person by SMS when that is their channel."""
import pytest
from django.utils import timezone

from accounts.models import NotificationChannel
from core import sms
from core.notify import notification_send
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _empty():
    sms.outbox.clear()


@pytest.mark.django_db
def test_sms_channel_gets_a_short_text_in_the_recipients_language_with_a_link(mailoutbox, settings):
    settings.SITE_URL = "https://essor.example"
    user = UserFactory(phone="+8613800138000", phone_verified_at=timezone.now(), preferred_language="zh-hans",
                       notification_channel=NotificationChannel.SMS)
    channel = notification_send(user=user, template="coaching/email/session_reminder", language="zh-hans",
                                context={"recipient": user, "path": "/coaching/missions/7/"})
    assert channel == "sms" and not mailoutbox
    message = sms.outbox[-1]
    assert message.to == "+8613800138000" and message.kind == "notice"
    assert message.text.endswith("https://essor.example/coaching/missions/7/") and len(message.text) < 160
    assert "辅导" in message.text and message.params["link"] == "https://essor.example/coaching/missions/7/"


@pytest.mark.django_db
def test_email_channel_or_an_unverified_number_gets_the_email(mailoutbox):
    unverified = UserFactory(phone="+8613800138000", notification_channel=NotificationChannel.SMS)
    assert notification_send(user=unverified, template="cohorts/email/reminder", language="en",
                             context={"user": unverified, "path": "/x/"}) == "email"
    assert len(mailoutbox) == 1 and not sms.outbox


@pytest.mark.django_db
def test_a_phone_only_account_on_email_gets_nothing_rather_than_an_error():
    user = UserFactory(email=None, phone="+8613800138000", phone_verified_at=timezone.now())
    assert notification_send(user=user, template="coaching/email/session_reminder", language="en",
                             context={"recipient": user, "path": "/x/"}) == ""
