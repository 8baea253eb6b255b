from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Association, ConsentRecord, Intermediary, IntermediaryStaff, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_learner", "is_trainer", "is_coach", "is_staff", "preferred_language"]
    list_filter = ["is_learner", "is_trainer", "is_coach", "is_staff", "is_superuser", "preferred_language",
                   ("erased_at", admin.EmptyFieldListFilter)]
    actions = ["erase_accounts"]
    search_fields = ["email", "display_name", "phone"]
    fieldsets = (
        (None, {"fields": ("email", "email_verified_at", "phone", "phone_verified_at", "password")}),
        (_("Profile"), {"fields": ("display_name", "preferred_language", "association", "reminders_enabled",
                                   "notification_channel")}),
        (_("Roles"), {"fields": ("is_learner", "is_trainer", "is_coach", "is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "display_name", "password1", "password2")}),)

    @admin.action(description=_("Erase the selected accounts (as “Delete my account” does)"))
    def erase_accounts(self, request, queryset):
        from .data_rights import account_erase

        erased = sum(not account_erase(user=user, actor=request.user).get("already_erased") for user in queryset)
        self.message_user(request, ngettext("%(count)s account erased.", "%(count)s accounts erased.", erased) % {"count": erased})


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    """Proof of what people agreed to: read only."""

    list_display = ["created_at", "user", "context", "recipients", "text_version", "language"]
    list_filter = ["context", "text_version", "language"]
    readonly_fields = ["user", "context", "cohort", "recipients", "text", "text_version", "language", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class IntermediaryStaffInline(admin.TabularInline):
    model = IntermediaryStaff
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Intermediary)
class IntermediaryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "city"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [IntermediaryStaffInline]


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "city", "sector", "size"]
    search_fields = ["name", "city"]
