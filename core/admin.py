"""The audit log in the admin: read-only, for admins (superusers) only, searchable by event and actor."""
from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditLogEntryAdmin(LogEntryAdmin):
    list_display = ["created", "resource_url", "action", "event", "msg_short", "user_url", "remote_addr"]
    # The user model has an email and a display name (auditlog's default searches first and last names).
    search_fields = ["object_repr", "changes", "additional_data", "actor__email", "actor__display_name", "actor_email"]
    readonly_fields = [*LogEntryAdmin.readonly_fields, "details", "remote_addr"]
    fieldsets = [
        (None, {"fields": ["created", "user_url", "remote_addr", "resource_url", "cid"]}),
        (_("Changes"), {"fields": ["action", "msg", "details"]}),
    ]

    @admin.display(description=_("event"))
    def event(self, obj):
        return (obj.additional_data or {}).get("event", "")

    @admin.display(description=_("details"))
    def details(self, obj):
        return ", ".join(f"{key}: {value}" for key, value in (obj.additional_data or {}).items())

    # Admins only: the entries name who read whose data; model permissions alone do not open them.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser
