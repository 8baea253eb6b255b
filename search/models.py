"""The search index: one row per module or lesson and language, with its tokens and its plain text.

Rows are written from the stored texts when a translation is saved (search.signals) and by
`manage.py search_reindex`. Who may see a row is decided when searching, through the module's
status and the lesson's archive flag, so publishing or archiving takes effect at once.
"""
from django.db import models
from django.db.models import Q

from courses.models import Lesson, Module


class SearchDocument(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="+")
    # Empty for the module's own row (title, summary, outcomes).
    lesson = models.ForeignKey(Lesson, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=10)
    title = models.CharField(max_length=200)
    # Plain text shown in extracts (summary, then the lesson's text), and where its headings start.
    text = models.TextField(blank=True)
    anchors = models.JSONField(default=list, blank=True)
    # Normalised tokens joined by single spaces (search.text): the title's, the title's and the
    # summary's, and all of them. FTS5 (SQLite) and array_to_tsvector (PostgreSQL) read these.
    title_tokens = models.TextField(blank=True)
    head_tokens = models.TextField(blank=True)
    tokens = models.TextField(blank=True)
    analyzer = models.PositiveSmallIntegerField(default=0)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lesson", "language"], condition=Q(lesson__isnull=False), name="uniq_search_lesson"),
            models.UniqueConstraint(fields=["module", "language"], condition=Q(lesson__isnull=True), name="uniq_search_module"),
        ]

    def __str__(self) -> str:
        return f"{self.lesson or self.module} [{self.language}]"
