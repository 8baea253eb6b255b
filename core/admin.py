"""What the domain admins share: read-only pages for objects whose writes go through services, the
admin's branding (in the reader's language), and the audit log (read-only, for admins only)."""
from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Essor administration")
admin.site.site_title = _("Essor administration")
admin.site.index_title = _("Site administration")


class ReadOnlyAdmin(admin.ModelAdmin):
    """To look, search and filter. Changes go through the pages, the API or the commands, whose services keep the
    rules, the history and the stored aggregates (a change here would skip them)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """The rows an object owns, shown on its read-only page (same reason as ReadOnlyAdmin)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
