"""The index stays fresh: every way a translation is saved (services, web authoring, API, import),
publishing and archiving, deletions, images, and `manage.py search_reindex` (also after the SQLite
triggers or the PostgreSQL index were lost)."""
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from courses import services
from courses.content_files import content_import, content_read
from courses.models import LessonImage, LessonTranslation
from search import backends
from search.models import SearchDocument
from search.selectors import search_matches
from search.services import search_index_is_stale
from search.text import ANALYZER_VERSION, html_to_text
from tests.courses.factories import module_build

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[1] / "courses" / "sample_content"


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return out.getvalue()


def slugs(query: str, reader: str = "fr") -> list[tuple[str, str]]:
    from search.models import SearchDocument as Document

    hits = search_matches(query=query, reader_language=reader).hits
    rows = {row.pk: row for row in Document.objects.filter(pk__in=[hit.document_id for hit in hits]).select_related("module",
                                                                                                                    "lesson")}
    return [(rows[hit.document_id].module.slug, rows[hit.document_id].lesson.slug if hit.lesson_id else "") for hit in hits]


@pytest.fixture
def published(author):
    return module_build(slug="published-module", author=author, publish=True)


def lesson_text(module, slug="lesson-1", language="fr") -> LessonTranslation:
    return LessonTranslation.objects.get(lesson__module=module, lesson__slug=slug, language=language)


def test_saving_a_lesson_translation_rewrites_its_row(published, author):
    lesson = published.lessons.get(slug="lesson-1")
    services.lesson_translation_save(lesson=lesson, language="fr", title="Le tableau de trésorerie",
                                     body_md="## Mois par mois\n\nUne *colonne* par mois.", user=author)
    assert ("published-module", "lesson-1") in slugs("tresorerie")
    assert ("published-module", "lesson-1") in slugs("colonnes")
    services.lesson_translation_save(lesson=lesson, language="fr", title="Le budget", body_md="Autre chose.", user=author)
    assert slugs("tresorerie") == []
    document = SearchDocument.objects.get(lesson=lesson, language="fr")
    assert document.title == "Le budget" and document.analyzer == ANALYZER_VERSION


def test_a_module_translation_is_searchable_on_its_own(published, author):
    services.module_translation_save(module=published, language="zh-hans", title="志愿者管理入门", summary="招募和留住志愿者",
                                     outcomes=["购买保险"], user=author)
    assert slugs("保险", "zh-hans") == [("published-module", "")]


def test_a_deleted_translation_leaves_the_index(published):
    row = lesson_text(published, language="zh-hans")
    row.delete()
    assert not SearchDocument.objects.filter(lesson=row.lesson, language="zh-hans").exists()
    published.translations.get(language="zh-hans").delete()
    assert not SearchDocument.objects.filter(module=published, lesson=None, language="zh-hans").exists()


def test_only_published_modules_and_current_lessons_are_found(author):
    module = module_build(slug="draft-module", author=author)
    assert slugs("lesson") == []  # a draft: not even its authors find it here
    services.module_publish(module=module, user=author)
    assert ("draft-module", "lesson-2") in slugs("lesson")
    services.lesson_archive(lesson=module.lessons.get(slug="lesson-2"), user=author)
    assert ("draft-module", "lesson-2") not in slugs("lesson") and ("draft-module", "lesson-1") in slugs("lesson")
    services.module_unpublish(module=module, user=author)
    assert slugs("lesson") == []
    services.module_publish(module=module, user=author)
    services.module_archive(module=module, user=author)
    assert slugs("lesson") == []


def test_web_authoring_updates_the_index(published, author, client_as):
    response = client_as(author).post(reverse("courses:lesson-edit", args=[published.slug, "lesson-1", "fr"]), {
        "title": "Assurer les bénévoles", "summary": "", "body_md": "Vérifiez le contrat d'assurance."})
    assert response.status_code == 302
    assert slugs("assurance") == [("published-module", "lesson-1")]


def test_the_api_updates_the_index(published, author, api_as):
    lesson = published.lessons.get(slug="lesson-2")
    response = api_as(author).put(f"/api/v1/lessons/{lesson.pk}/translations/zh-hans/", {
        "title": "现金流计划", "summary": "", "body_md": "每个月的现金流。", "matches_source": False}, format="json")
    assert response.status_code == 200, response.content
    assert slugs("现金流", "zh-hans") == [("published-module", "lesson-2")]


def test_import_content_indexes_what_it_imports(db):
    from courses.topics import topics_ensure

    topics_ensure()
    report = content_import(content_read(SAMPLE), publish=True)
    assert report.published
    assert not search_index_is_stale()
    assert SearchDocument.objects.filter(lesson__isnull=False).count() == LessonTranslation.objects.exclude(body_md="").count() > 0


def test_an_image_change_reindexes_the_module_once_committed(published, author, django_capture_on_commit_callbacks):
    lesson = published.lessons.get(slug="lesson-1")
    services.lesson_translation_save(lesson=lesson, language="fr", title="Le tableau", user=author,
                                     body_md="Voici le modèle : ![Tableau mensuel de trésorerie](images/plan.png)")
    before = SearchDocument.objects.get(lesson=lesson, language="fr").text
    assert "Tableau mensuel de trésorerie" in before  # no such image yet: its description is shown
    with django_capture_on_commit_callbacks(execute=True):
        services.lesson_image_save(module=published, name="plan.png", data=png(), user=author)
    assert LessonImage.objects.filter(module=published).exists()
    document = SearchDocument.objects.get(lesson=lesson, language="fr")
    assert document.text == html_to_text(lesson_text(published).body_html)[0] != before


def test_search_reindex_rebuilds_everything_and_says_how_long_it_took(published):
    SearchDocument.objects.all().delete()
    assert search_index_is_stale()
    out = io.StringIO()
    call_command("search_reindex", "--if-stale", stdout=out)
    assert "Indexed 6 documents (2 module texts, 4 lesson texts) in " in out.getvalue()
    assert not search_index_is_stale()
    assert ("published-module", "lesson-1") in slugs("lesson")
    out = io.StringIO()
    call_command("search_reindex", "--if-stale", stdout=out)
    assert out.getvalue().strip() == "The search index is up to date."


def test_an_index_built_by_another_analyser_version_is_stale(published):
    SearchDocument.objects.update(analyzer=ANALYZER_VERSION - 1)
    assert search_index_is_stale()
    call_command("search_reindex", "--if-stale", stdout=io.StringIO())
    assert not search_index_is_stale()


def test_search_reindex_recreates_a_lost_full_text_structure(published):
    """On SQLite, a migration that rebuilds the index table drops its triggers; on PostgreSQL an index can be dropped."""
    backends.schema_drop(connection)
    assert not backends.schema_ok(connection) and search_index_is_stale()
    call_command("search_reindex", "--if-stale", stdout=io.StringIO())
    assert backends.schema_ok(connection)
    assert ("published-module", "lesson-1") in slugs("lesson")
    lesson = published.lessons.get(slug="lesson-1")
    services.lesson_translation_save(lesson=lesson, language="fr", title="Titre", body_md="Nouveau mot : subvention.")
    assert slugs("subventions") == [("published-module", "lesson-1")]  # the triggers work again


def test_the_engine_answers_from_its_full_text_index(published):
    """SQLite: the FTS5 table; PostgreSQL: the GIN index (the planner is told not to scan, as with many rows)."""
    from search.selectors import search_terms

    queryset = SearchDocument.objects.filter(backends.match("tokens", search_terms("lesson")["fr"]))
    assert queryset.exists()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        assert backends.GIN_INDEX in queryset.explain()
    else:
        assert "VIRTUAL TABLE INDEX" in queryset.explain() and backends.FTS_TABLE in queryset.explain()
