"""Admin: topics only. Modules, lessons and quizzes are written through the authoring pages, the
API or the content files, so that their HTML is rendered and their history kept (services)."""
from django.contrib import admin

from .models import Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["key", "position", "colour", "icon"]
    ordering = ["position"]
