"""Export my data: everything Essor holds about a person, as one JSON document (format in
docs/privacy.md). Learners, coaches, trainers and staff alike get their own data; nobody else's.

Every relation to the user model is covered: a named section reads it (COVERED), or it is listed in
EXCLUDED with the reason. tests/accounts/test_data_rights_export.py walks every model and fails on a
relation that is in neither."""
from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone

from ..models import User

EXPORT_FORMAT = "essor-personal-data"
EXPORT_VERSION = 1

# "<app>.<Model>.<field>" -> the section of the export that holds those rows.
COVERED = {
    "accounts.ConsentRecord.user": "consents",
    "accounts.IntermediaryStaff.user": "staff_memberships",
    "learners.Enrollment.user": "enrolments",
    "learners.LessonProgress.user": "lesson_progress",
    "learners.QuizAttempt.user": "quiz_attempts",
    "learners.Certificate.user": "certificates",
    "learners.DiagnosticResponse.user": "diagnostics",
    "cohorts.CohortMembership.user": "cohort_memberships",
    "cohorts.CohortReminder.user": "reminders_received",
    "coaching.CoachProfile.user": "coach_profile",
    "coaching.CoachingRequest.learner": "coaching_requests",
    "coaching.Session.logged_by": "sessions",
    "coaching.Feedback.author": "feedback_written",
    "coaching.Proposal.created_by": "proposals_made",
    "coaching.Proposal.responded_by": "proposals_answered",
    "coaching.RequestTransition.by": "request_steps",
    "coaching.Mission.objectives_set_by": "missions",
    "coaching.Mission.completion_requested_by": "missions",
    "coaching.CoachingRequest.created_by": "records_created",
    "coaching.CoachProfile.vetted_by": "records_created",
    "cohorts.Cohort.created_by": "records_created",
    "cohorts.Cohort_facilitators.user": "cohorts_facilitated",
    "cohorts.CohortInvitation.created_by": "records_created",
    "cohorts.CohortInviteImport.created_by": "records_created",
    "cohorts.CohortExport.created_by": "records_created",
    "cohorts.CohortReminder.created_by": "records_created",
    "courses.Module_authors.user": "modules_authored",
    "courses.LessonTranslation.updated_by": "records_created",
    "courses.LessonImage.uploaded_by": "records_created",
    "courses.ContentChange.user": "records_created",
    "admin.LogEntry.user": "records_created",
}

EXCLUDED = {
    "authtoken.Token.user": "An API key is a secret: exporting it into a file would leak it. Its existence is in the profile.",
    "accounts.User_groups.user": "Administration permissions; the roles are in the profile.",
    "accounts.User_user_permissions.user": "Administration permissions; the roles are in the profile.",
    "accounts.PhoneCode.user": "One-time codes: only their hash, valid minutes; the number is in the profile.",
    "social_django.UserSocialAuth.user": "WeChat identifier and access token (a secret); the profile says if linked.",
    "impact.NetworkStaff.user": "A staff role in a funder's network (organisation data, no personal data beyond the role).",
    "impact.NetworkMembership.invited_by": "An organisation's network link; names no learner.",
    "impact.NetworkMembership.responded_by": "An organisation's network link; names no learner.",
    "impact.ImpactReport.created_by": "A report of aggregates about organisations, not about the person who asked for it.",
    "xapi.StatementRecord.user": "Ids of the xAPI statements sent to the learning record store about progress, quiz attempts, "
                                 "certificates and missions, which the export already holds.",
    "auditlog.LogEntry.actor": "Security record of the site, kept by the operator (see the privacy page).",
}

# Rows created by the person in other people's or organisations' records: ids and dates only.
RECORDS_CREATED = [label for label, section in COVERED.items() if section == "records_created"]


def _rows(queryset, *fields) -> list[dict]:
    return list(queryset.values(*fields))


def _profile(user: User) -> dict:
    from rest_framework.authtoken.models import Token

    return {
        "id": user.pk, "email": user.email, "display_name": user.display_name,
        "phone": str(user.phone) if user.phone else "", "phone_verified_at": user.phone_verified_at,
        "email_verified_at": user.email_verified_at, "notification_channel": user.notification_channel,
        "wechat_linked": user.social_identities_count() > 0,
        "preferred_language": user.preferred_language, "reminders_enabled": user.reminders_enabled,
        "roles": {"learner": user.is_learner, "trainer": user.is_trainer, "coach": user.is_coach,
                  "site_administrator": user.is_staff or user.is_superuser},
        "date_joined": user.date_joined, "last_login": user.last_login,
        "has_api_key": Token.objects.filter(user=user).exists(),
    }


def _association(user: User) -> dict | None:
    association = user.association
    if association is None:
        return None
    return {"id": association.pk, "name": association.name, "country": association.country, "city": association.city,
            "sector": association.sector, "size": association.size, "created_at": association.created_at}


def _records_created(user: User) -> dict:
    from django.apps import apps

    out = {}
    for label in RECORDS_CREATED:
        app_label, model_name, field = label.split(".")
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        date_field = next((f.name for f in model._meta.concrete_fields
                           if f.name in ("created_at", "action_time", "at", "updated_at", "vetted_at")), None)
        fields = ("id", date_field) if date_field else ("id",)
        out[label] = _rows(model._base_manager.filter(**{field: user}).order_by("pk"), *fields)
    return out


def user_data_export(*, user: User) -> dict:
    """The person's data as plain values (json.dumps with DjangoJSONEncoder), in a fixed number of queries."""
    from accounts.models import ConsentRecord, IntermediaryStaff
    from coaching.models import CoachingRequest, CoachProfile, Feedback, Mission, Proposal, RequestTransition, Session
    from cohorts.models import Cohort, CohortMembership, CohortReminder
    from courses.models import Module
    from learners.models import Certificate, DiagnosticResponse, Enrollment, LessonProgress, QuizAttempt

    profile = CoachProfile.objects.filter(user=user).first()
    # The missions they took part in, on either side (the coach sees theirs, the learner theirs).
    missions = Mission.objects.filter(Q(request__learner=user) | Q(coach__user=user)).distinct().order_by("pk")
    sections = {
        "profile": _profile(user),
        "association": _association(user),
        "consents": _rows(ConsentRecord.objects.filter(user=user).order_by("pk"),
                          "id", "context", "cohort_id", "recipients", "text", "text_version", "language", "created_at"),
        "staff_memberships": _rows(IntermediaryStaff.objects.filter(user=user).order_by("pk"),
                                   "id", "intermediary_id", "intermediary__name", "is_manager", "created_at"),
        "cohort_memberships": _rows(CohortMembership.objects.filter(user=user).order_by("pk"),
                                    "id", "cohort_id", "cohort__name", "cohort__intermediary__name", "status", "joined_at",
                                    "left_at", "diagnostic_baseline", "diagnostic_latest"),
        "cohorts_facilitated": _rows(Cohort.objects.filter(facilitators=user).order_by("pk"), "id", "name"),
        "reminders_received": _rows(CohortReminder.objects.filter(user=user).order_by("pk"),
                                    "id", "cohort_id", "kind", "language", "created_at", "sent_at"),
        "enrolments": _rows(Enrollment.objects.filter(user=user).order_by("pk"),
                            "id", "module_id", "module__slug", "status", "content_language", "lessons_done", "lessons_total",
                            "percent", "last_lesson_id", "last_activity_at", "quiz_passed", "quiz_best_score",
                            "quiz_attempts", "completed_at", "enrolled_at", "left_at"),
        "lesson_progress": _rows(LessonProgress.objects.filter(user=user).order_by("pk"),
                                 "id", "lesson_id", "lesson__slug", "enrollment_id", "language", "first_seen_at",
                                 "last_seen_at", "completed_at"),
        "quiz_attempts": _rows(QuizAttempt.objects.filter(user=user).order_by("pk"),
                               "id", "quiz_id", "quiz__module__slug", "answers", "results", "score", "passed", "language",
                               "started_at", "submitted_at"),
        "certificates": _rows(Certificate.objects.filter(user=user).order_by("pk"),
                              "id", "module_id", "module__slug", "code", "learner_name", "issuer_name", "score", "issued_at",
                              "revoked_at", "revoked_reason"),
        "diagnostics": _rows(DiagnosticResponse.objects.filter(user=user).order_by("pk"),
                             "id", "diagnostic_id", "association_id", "answers", "scores", "average", "context", "created_at"),
        "coach_profile": None,
        "coaching_requests": _rows(CoachingRequest.objects.filter(learner=user).order_by("pk"),
                                   "id", "topic__key", "module_id", "certificate_id", "cohort_id", "intermediary_id",
                                   "association_id", "diagnostic_score_before", "languages", "need", "expected_result",
                                   "format", "country", "city", "time_zone", "hours_wanted", "starts_on", "ends_on", "status",
                                   "status_changed_at", "created_at", "updated_at"),
        "request_steps": _rows(RequestTransition.objects.filter(by=user).order_by("pk"),
                               "id", "request_id", "from_status", "to_status", "note", "at"),
        "proposals_made": _rows(Proposal.objects.filter(created_by=user).order_by("pk"),
                                "id", "request_id", "coach_id", "kind", "status", "message", "created_at"),
        "proposals_answered": _rows(Proposal.objects.filter(responded_by=user).order_by("pk"),
                                    "id", "request_id", "status", "decline_reason", "responded_at"),
        "missions": _rows(missions, "id", "request_id", "coach_id", "monthly_hours", "objectives", "objectives_set_by_id",
                          "objectives_agreed_at", "minutes_logged", "session_count", "last_session_on",
                          "completion_requested_by_id", "completion_requested_at", "completed_at", "created_at"),
        "sessions": _rows(Session.objects.filter(mission__in=missions.values("pk")).order_by("pk"),
                          "id", "mission_id", "held_on", "duration_minutes", "notes", "logged_by_id", "created_at"),
        "feedback_written": _rows(Feedback.objects.filter(author=user).order_by("pk"),
                                  "id", "mission_id", "role", "rating", "comment", "created_at"),
        "modules_authored": _rows(Module.objects.filter(authors=user).order_by("pk"), "id", "slug"),
        "records_created": _records_created(user),
    }
    if profile is not None:
        sections["coach_profile"] = {
            **{f: getattr(profile, f) for f in ("id", "country", "city", "works_remotely", "works_in_person", "time_zone",
                                                "monthly_capacity_hours", "available_from", "available_until", "employer",
                                                "bio", "is_vetted", "vetted_at", "created_at", "updated_at")},
            "skills": _rows(profile.skills.order_by("pk"), "topic__key", "tag", "level"),
            "languages": _rows(profile.languages.order_by("pk"), "language", "level"),
        }
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "generated_at": timezone.now(),
        "sections": sections,
        "coverage": {**COVERED, **{label: f"excluded: {why}" for label, why in EXCLUDED.items()}},
    }


def user_data_export_filename(*, user: User) -> str:
    return f"essor-my-data-{user.pk}-{timezone.now():%Y%m%d}.json"


__all__ = ["COVERED", "EXCLUDED", "EXPORT_FORMAT", "EXPORT_VERSION", "DjangoJSONEncoder", "user_data_export",
           "user_data_export_filename"]
