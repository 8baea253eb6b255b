"""The search results page (/search/?q=): open to every visitor, like the catalogue."""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.utils.translation import get_language
from django.views.generic import TemplateView

from learners.selectors import content_language, language_choices

from .selectors import PAGE_SIZE, QUERY_MAX_LENGTH, search_matches, search_query_clean, search_results


class SearchView(TemplateView):
    template_name = "search/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        raw = self.request.GET.get("q", "")
        context.update(query=raw[:QUERY_MAX_LENGTH * 2], max_length=QUERY_MAX_LENGTH, searched=False,
                       languages=", ".join(name for _code, name in language_choices(settings.CONTENT_LANGUAGES)))
        if not raw.strip():
            return context
        try:
            query = search_query_clean(raw)
        except ValidationError as error:
            return {**context, "error": error.messages[0]}
        matches = search_matches(query=query, reader_language=content_language(get_language()))
        page = Paginator(matches.hits, PAGE_SIZE).get_page(self.request.GET.get("page"))
        results = search_results(matches=matches, hits=page.object_list, user=self.request.user)
        return {
            **context, "searched": True, "query": query, "page": page, "count": len(matches),
            "reader_results": [result for result in results if result.in_reader_language],
            "other_results": [result for result in results if not result.in_reader_language],
        }
