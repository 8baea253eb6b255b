"""Admin: topics; modules to look up, read-only. Modules, lessons and quizzes are written through the authoring
pages, the API or the content files, so that their HTML is rendered and their history kept (services)."""
from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Module, ModuleTranslation, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["key", "position", "colour", "icon"]
    ordering = ["position"]


class ModuleTranslationInline(ReadOnlyInline):
    model = ModuleTranslation
    fields = ["language", "title", "version", "source_version"]
    readonly_fields = fields


@admin.register(Module)
class ModuleAdmin(ReadOnlyAdmin):
    list_display = ["slug", "topic", "level", "status", "source_language", "version", "published_at", "updated_at"]
    list_filter = ["status", "topic", "level", "source_language"]
    search_fields = ["slug", "translations__title"]
    list_select_related = ["topic"]
    inlines = [ModuleTranslationInline]
