"""Real queries on the shipped curriculum (content/, imported once for this module), and the proof that
the database's matching equals the reference meaning of a query (search.text.terms_match): the same
tests run on SQLite (FTS5) and on PostgreSQL (CI's second suite), so both give the same lists.

Queries use words the curriculum keeps through rewording: 现金流 (cash flow), 志愿者 + 保险
(volunteers' insurance), trésorerie, bénévoles."""
import pytest
from django.db.models import Q

from courses.models import LessonTranslation, Module, ModuleTranslation
from search.models import SearchDocument
from search.selectors import search_documents_matching, search_matches, search_results, search_terms
from search.services import search_index_is_stale
from search.text import terms_match

pytestmark = pytest.mark.django_db

QUERIES = ["现金流", "志愿者保险", "志愿者的保险", "保险", "trésorerie", "tresorerie", "TRÉSORERIE", "benevoles",
           "gestion des bénévoles", "budget", "assurance", "insurance volunteers", "cash flow", "plan", "Excel",
           "évaluation", "2024", "theory of change", "变革理论", "组织", "zzzz-nothing", "l'association", "现金流 trésorerie"]


def found(query: str, reader: str) -> list:
    matches = search_matches(query=query, reader_language=reader)
    return search_results(matches=matches, hits=matches.hits, user=None)


def keys(results) -> list[tuple[str, str, str]]:
    return [(result.module_slug, result.lesson_slug, result.language) for result in results]


def reference(terms) -> set[tuple[int, int]]:
    """What a query means, computed in Python over the stored tokens: (row, tier) of every visible match."""
    expected = set()
    rows = (SearchDocument.objects.filter(module__status=Module.Status.PUBLISHED)
            .filter(Q(lesson__isnull=True) | Q(lesson__is_archived=False))
            .values_list("pk", "language", "title_tokens", "head_tokens", "tokens"))
    for pk, language, title, head, tokens in rows:
        language_terms = terms.get(language)
        if language_terms and terms_match(language_terms, tokens.split()):
            tier = 2 if terms_match(language_terms, title.split()) else 1 if terms_match(language_terms, head.split()) else 0
            expected.add((pk, tier))
    return expected


def test_the_import_indexed_every_translation(curriculum):
    assert not search_index_is_stale()
    lessons = LessonTranslation.objects.exclude(body_md="").count()
    assert SearchDocument.objects.filter(lesson__isnull=False).count() == lessons > 40
    assert SearchDocument.objects.filter(lesson__isnull=True).count() == ModuleTranslation.objects.count()


@pytest.mark.parametrize("query", QUERIES)
def test_the_database_matches_exactly_what_the_query_means(curriculum, query):
    terms = search_terms(query)
    rows = search_documents_matching(terms)
    assert len(rows) == len({row[0] for row in rows})
    assert {(row[0], row[4]) for row in rows} == reference(terms)


def test_the_equivalence_test_can_fail(curriculum):
    """The reference is not the database echoed back: it finds what it must, and nothing for nonsense."""
    assert len(reference(search_terms("trésorerie"))) >= 3
    assert reference(search_terms("zzzz-nothing")) == set()


def test_cash_flow_in_chinese_finds_the_cash_flow_lesson_first(curriculum):
    results = found("现金流", "zh-hans")
    lessons = [result for result in results if result.kind == "lesson"]
    assert (lessons[0].module_slug, lessons[0].lesson_slug, lessons[0].language) == ("basic-finance", "cash-flow", "zh-hans")
    assert "<mark>现金流</mark>" in lessons[0].title_html
    assert all(result.language == "zh-hans" for result in results)


def test_volunteer_insurance_finds_the_insurance_section(curriculum):
    results = found("志愿者保险", "zh-hans")
    rules = next(result for result in results if result.lesson_slug == "recognition-and-rules")
    assert rules.module_slug == "volunteer-management" and rules.language == "zh-hans"
    # The extract is the passage about insurance, and the link opens the lesson at its section.
    assert "<mark>保险</mark>" in rules.extract_html and "<mark>志愿者</mark>" in rules.extract_html
    assert "#h-" in rules.url


def test_accented_and_plain_queries_find_the_same_lessons(curriculum):
    accented, plain = keys(found("trésorerie", "fr")), keys(found("tresorerie", "fr"))
    assert accented == plain
    assert ("basic-finance", "cash-flow", "fr") in accented
    assert keys(found("Trésorerie", "fr")) == accented


def test_a_french_query_from_a_chinese_reader_finds_the_french_lessons(curriculum):
    results = found("trésorerie", "zh-hans")
    assert keys(results) == keys(found("trésorerie", "fr"))  # the same lessons, in the same order
    cash_flow = next(result for result in results if result.lesson_slug == "cash-flow")
    assert cash_flow.language == "fr" and not cash_flow.in_reader_language
    assert "?lang=fr" in cash_flow.url and cash_flow.module_title == "Gestion financière de base"


def test_benevoles_without_accents_finds_benevoles(curriculum):
    results = found("benevoles", "fr")
    volunteers = [result for result in results if result.module_slug == "volunteer-management"]
    assert len(volunteers) >= 4
    assert any("<mark>bénévoles</mark>" in result.extract_html for result in volunteers)


def test_the_readers_language_comes_first_then_the_others_each_lesson_once(curriculum):
    results = found("budget", "en")
    languages = [result.language for result in results]
    assert languages == sorted(languages, key=lambda code: code != "en")
    assert "en" in languages and "fr" in languages
    lessons = [(result.module_slug, result.lesson_slug) for result in results]
    assert len(lessons) == len(set(lessons))


def test_a_title_match_ranks_before_a_mention(curriculum):
    results = [result for result in found("trésorerie", "fr") if result.kind == "lesson"]
    assert results[0].lesson_slug == "cash-flow"
