"""What the domain admins share: read-only pages for objects whose writes go through services, and the
admin's branding (in the reader's language)."""
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
