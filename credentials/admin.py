"""Admin: issuer profiles (logo, website of an intermediary), and credentials with a revoke action that
calls learners' certificate_revoke — the status list shows the revocation at once."""
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from learners.services import certificate_revoke

from .models import Credential, IssuerProfile


@admin.register(IssuerProfile)
class IssuerProfileAdmin(admin.ModelAdmin):
    list_display = ["intermediary", "website", "email"]
    search_fields = ["intermediary__name"]


@admin.action(description=_("Revoke the selected certificates"))
def revoke_certificates(modeladmin, request, queryset):
    reason = request.POST.get("reason")
    if reason is not None and request.POST.get("confirm"):
        revoked = 0
        try:
            for credential in queryset.select_related("certificate"):
                if credential.certificate.revoked_at is None:
                    certificate_revoke(certificate=credential.certificate, reason=reason)
                    revoked += 1
        except ValidationError as error:
            modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            modeladmin.message_user(request, ngettext("%(count)d certificate revoked.", "%(count)d certificates revoked.",
                                                      revoked) % {"count": revoked}, messages.SUCCESS)
            return None
    return render(request, "admin/credentials/revoke.html", {
        **modeladmin.admin_site.each_context(request), "title": _("Revoke certificates"), "credentials": queryset,
        "opts": modeladmin.model._meta, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    })


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = ["certificate", "learner", "module", "intermediary", "status_list", "status_index", "revoked", "signed_at"]
    list_filter = ["status_list", "certificate__revoked_at"]
    search_fields = ["certificate__code", "certificate__learner_name", "certificate__user__email"]
    list_select_related = ["certificate__module", "intermediary"]
    actions = [revoke_certificates]
    readonly_fields = ["certificate", "intermediary", "status_list", "status_index", "language", "salt", "document",
                       "created_at", "signed_at"]

    @admin.display(description=_("learner"))
    def learner(self, obj):
        return obj.certificate.learner_name

    @admin.display(description=_("module"))
    def module(self, obj):
        return obj.certificate.module

    @admin.display(description=_("revoked"), boolean=True)
    def revoked(self, obj):
        return obj.certificate.revoked_at is not None

    def has_add_permission(self, request):
        return False  # created with the certificate, never by hand

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: a deleted credential would still verify as valid
