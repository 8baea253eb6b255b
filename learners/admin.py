"""Admin: enrolments and certificates, to look up (their writes go through services); certificates have a revoke
action that calls certificate_revoke (the credential's status list and verification page follow)."""
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ReadOnlyAdmin

from .models import Certificate, Enrollment
from .services import certificate_revoke


@admin.register(Enrollment)
class EnrollmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "module", "status", "percent", "quiz_passed", "last_activity_at", "enrolled_at", "completed_at"]
    list_filter = ["status", "quiz_passed", "content_language"]
    search_fields = ["user__email", "user__display_name", "module__slug"]
    list_select_related = ["user", "module"]
    date_hierarchy = "enrolled_at"


@admin.action(description=_("Revoke the selected certificates"), permissions=["view"])
def revoke_certificates(modeladmin, request, queryset):
    if not request.user.is_superuser:
        modeladmin.message_user(request, _("Only a superuser can revoke certificates."), messages.ERROR)
        return None
    reason = request.POST.get("reason")
    if reason is not None and request.POST.get("confirm"):
        revoked = 0
        try:
            for certificate in queryset:
                if certificate.revoked_at is None:
                    certificate_revoke(certificate=certificate, reason=reason)
                    revoked += 1
        except ValidationError as error:
            modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            modeladmin.message_user(request, ngettext("%(count)d certificate revoked.", "%(count)d certificates revoked.",
                                                      revoked) % {"count": revoked}, messages.SUCCESS)
        return None
    return render(request, "admin/learners/revoke.html", {
        **modeladmin.admin_site.each_context(request), "title": _("Revoke certificates"), "certificates": queryset,
        "opts": modeladmin.model._meta, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    })


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["code", "learner_name", "module", "score", "issued_at", "revoked_at"]
    list_filter = ["revoked_at", "module"]
    search_fields = ["code", "learner_name", "user__email"]
    list_select_related = ["module"]
    actions = [revoke_certificates]
    date_hierarchy = "issued_at"
