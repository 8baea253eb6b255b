from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Association, Intermediary, IntermediaryStaff, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_learner", "is_trainer", "is_coach", "is_staff", "preferred_language"]
    list_filter = ["is_learner", "is_trainer", "is_coach", "is_staff", "is_superuser", "preferred_language"]
    search_fields = ["email", "display_name", "phone"]
    fieldsets = (
        (None, {"fields": ("email", "email_verified_at", "phone", "phone_verified_at", "password")}),
        (_("Profile"), {"fields": ("display_name", "preferred_language", "association", "reminders_enabled",
                                   "notification_channel")}),
        (_("Roles"), {"fields": ("is_learner", "is_trainer", "is_coach", "is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "display_name", "password1", "password2")}),)


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
