"""Reach a person on the channel they chose: email, or SMS (a short text in their language and a link).

Reminders, invitations and coaching news all go through `notification_send` (called from tasks only).
The SMS text is the template ``<template>_sms.txt`` rendered in the recipient's language; the link is
``SITE_URL + context["path"]``. Providers' "notice" template gets two parameters, ``content`` and
``link`` (docs/phone-and-wechat.md). core imports no app: the user is read by its attributes."""
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .mail import email_send
from .sms import SmsMessage, sms_send

__all__ = ["notification_send", "notification_channel"]

SMS_MAX_CHARS = 300


def notification_channel(user) -> str:
    """'sms' when the person chose SMS and has a verified number, else 'email' (or '' if neither works)."""
    if user is not None and getattr(user, "notification_channel", "email") == "sms" and getattr(user, "sms_number", ""):
        return "sms"
    return "email" if user is None or user.email else ""


def notification_send(*, template: str, context: dict, language: str, user=None, email: str = "") -> str:
    """Send `template` to `user` (or to `email` when nobody has an account yet). Returns the channel used."""
    channel = notification_channel(user)
    if user is not None and not channel:
        return ""
    if channel == "sms":
        with translation.override(language):
            content = " ".join(render_to_string(f"{template}_sms.txt", {"site_url": settings.SITE_URL, **context}).split())
        link = settings.SITE_URL + context.get("path", "")
        sms_send(SmsMessage(to=user.sms_number, text=f"{content} {link}"[:SMS_MAX_CHARS], kind="notice",
                            params={"content": content[:SMS_MAX_CHARS - len(link) - 1], "link": link}, language=language))
        return "sms"
    email_send(to=email or user.email, template=template, context=context, language=language)
    return "email"
