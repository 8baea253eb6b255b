"""Consent records: what a person agreed to share with whom, stored with the very text they were shown
(in their language), its version and the time. Written by sign-up and by every cohort join, whatever
the entry point (page, API, CSV invitation), because the services call it."""
from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import ConsentRecord, User

# Raise the version whenever the texts below change in meaning: a record says which text was agreed to.
CONSENT_TEXT_VERSION = "2026-12-1"


def signup_consent_text() -> tuple[str, str]:
    """(recipients, text) shown on the sign-up page, in the active language."""
    recipients = _("Essor (the site's operator)")
    text = _(
        "Essor stores your name, email address, language and association to run your account, and your "
        "progress, quiz results, certificates and self-diagnostics so that you can resume and prove what you "
        "learned. Nobody else sees them unless you join a cohort or ask for a coach: each time, you will be told "
        "who sees what. You can download all your data or delete your account from your profile at any time."
    )
    return recipients, text


def cohort_consent_text(*, organisation: str, facilitators: list[str]) -> tuple[str, str]:
    """(recipients, text) shown on a cohort's join page, in the active language (the same sentences)."""
    if facilitators:
        names = ", ".join(facilitators)
        recipients = _("%(organisation)s: the cohort's facilitators and staff") % {"organisation": organisation}
        first = _(
            "By joining, you agree that the cohort's facilitators (%(names)s) and the staff of %(organisation)s see "
            "your progress in this cohort's modules: the lessons you finished, your quiz results, your certificates "
            "and when you last studied.") % {"names": names, "organisation": organisation}
    else:
        recipients = _("%(organisation)s: its staff") % {"organisation": organisation}
        first = _(
            "By joining, you agree that the staff of %(organisation)s, who run this cohort, see your progress in its "
            "modules: the lessons you finished, your quiz results, your certificates and when you last studied."
        ) % {"organisation": organisation}
    second = _("They do not see what you do in other modules. Your self-diagnostic only counts in the cohort's average. "
               "You can leave the cohort at any time and keep your progress.")
    return recipients, f"{first} {second}"


def _language(user: User, language: str | None) -> str:
    codes = dict(settings.LANGUAGES)
    for candidate in (language, translation.get_language(), user.preferred_language, settings.LANGUAGE_CODE):
        if candidate in codes:
            return candidate
    return settings.LANGUAGE_CODE


def consent_record_signup(*, user: User, language: str | None = None) -> ConsentRecord:
    language = _language(user, language)
    with translation.override(language):
        recipients, text = signup_consent_text()
    return ConsentRecord.objects.create(user=user, context=ConsentRecord.Context.SIGNUP, recipients=recipients[:300],
                                        text=text, text_version=CONSENT_TEXT_VERSION, language=language)


def consent_record_cohort_join(*, user: User, cohort, language: str | None = None) -> ConsentRecord:
    language = _language(user, language)
    facilitators = [f.display_name for f in cohort.facilitators.all()]
    with translation.override(language):
        recipients, text = cohort_consent_text(organisation=cohort.intermediary.name, facilitators=facilitators)
    return ConsentRecord.objects.create(user=user, context=ConsentRecord.Context.COHORT_JOIN, cohort=cohort,
                                        recipients=recipients[:300], text=text, text_version=CONSENT_TEXT_VERSION,
                                        language=language)


__all__ = ["CONSENT_TEXT_VERSION", "cohort_consent_text", "consent_record_cohort_join", "consent_record_signup",
           "signup_consent_text"]
