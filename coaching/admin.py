"""Admin: coach profiles, coaching requests, proposals, missions and sessions, to look up. Read-only: each change
of state goes through coaching's services (history, notifications, contact-detail rules)."""
from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import CoachingRequest, CoachProfile, Mission, Proposal, RequestTransition, Session


@admin.register(CoachProfile)
class CoachProfileAdmin(ReadOnlyAdmin):
    list_display = ["user", "country", "city", "is_vetted", "monthly_capacity_hours", "created_at"]
    list_filter = ["is_vetted", "country", "works_remotely", "works_in_person"]
    search_fields = ["user__email", "user__display_name", "city"]
    list_select_related = ["user"]


class RequestTransitionInline(ReadOnlyInline):
    model = RequestTransition


@admin.register(CoachingRequest)
class CoachingRequestAdmin(ReadOnlyAdmin):
    list_display = ["learner", "topic", "status", "cohort", "created_at"]
    list_filter = ["status", "topic"]
    search_fields = ["learner__email", "learner__display_name"]
    list_select_related = ["learner", "topic", "cohort"]
    inlines = [RequestTransitionInline]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["request", "coach", "kind", "status", "score", "created_at", "responded_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["request__learner", "request__topic", "coach__user"]


class SessionInline(ReadOnlyInline):
    model = Session


@admin.register(Mission)
class MissionAdmin(ReadOnlyAdmin):
    list_display = ["request", "coach", "session_count", "minutes_logged", "created_at", "completed_at"]
    list_filter = ["request__status"]
    search_fields = ["request__learner__email", "coach__user__email"]
    list_select_related = ["request__learner", "request__topic", "coach__user"]
    inlines = [SessionInline]


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ["mission", "held_on", "duration_minutes", "logged_by", "created_at"]
    list_select_related = ["mission__request__learner", "mission__request__topic", "logged_by"]
