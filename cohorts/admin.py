"""Admin: cohorts, their memberships and invitations, to look up. Read-only: cohort writes go through services,
which keep the stored per-cohort aggregates (docs/performance.md) and send what is owed."""
from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Cohort, CohortInvitation, CohortMembership, CohortModule


class CohortModuleInline(ReadOnlyInline):
    model = CohortModule


@admin.register(Cohort)
class CohortAdmin(ReadOnlyAdmin):
    list_display = ["name", "intermediary", "language", "starts_on", "ends_on", "created_at"]
    list_filter = ["language", "intermediary"]
    search_fields = ["name", "intermediary__name"]
    list_select_related = ["intermediary"]
    inlines = [CohortModuleInline]


@admin.register(CohortMembership)
class CohortMembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "cohort", "status", "joined_at", "left_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "user__display_name", "cohort__name"]
    list_select_related = ["user", "cohort"]


@admin.register(CohortInvitation)
class CohortInvitationAdmin(ReadOnlyAdmin):
    list_display = ["cohort", "kind", "email", "uses_count", "max_uses", "expires_at", "revoked_at", "created_at"]
    list_filter = ["kind"]
    search_fields = ["email", "cohort__name", "code"]
    list_select_related = ["cohort"]
    exclude = ["token"]  # the link's secret: not needed to look an invitation up
