"""Render an email from templates in the recipient's language and send it (called from tasks)."""
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def email_send(*, to: str, template: str, context: dict, language: str) -> None:
    """Send `<template>_subject.txt` and `<template>_body.txt` rendered in `language`."""
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[to])
    message.extra_headers["Content-Language"] = language
    message.send()
