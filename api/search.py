"""GET /api/v1/search/?q=: the same search as the /search/ page (search.selectors), paginated."""
from __future__ import annotations

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from search.selectors import QUERY_MAX_LENGTH, search_matches, search_query_clean, search_results

from .courses import request_language


class SearchResultSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["module", "lesson"])
    url = serializers.CharField(help_text="The reader's page, in the result's language, at the section where the words were found.")
    module = serializers.CharField(source="module_slug")
    lesson = serializers.CharField(source="lesson_slug", allow_blank=True, help_text="Empty for a module.")
    title = serializers.CharField()
    title_html = serializers.CharField(help_text="The title, HTML-escaped, with the words found in <mark>.")
    module_title = serializers.CharField()
    extract_html = serializers.CharField(help_text="A passage of the text, HTML-escaped, with the words found in <mark>.")
    language = serializers.ChoiceField(choices=settings.CONTENT_LANGUAGES)
    in_reader_language = serializers.BooleanField()
    status = serializers.CharField(
        allow_blank=True,
        help_text="Lessons: read, opened or unread; modules: completed, enrolled or not_enrolled (your own progress).")


@extend_schema(
    tags=["search"],
    parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, required=True,
                         description=f"The words to find (every one must be in the result), at most {QUERY_MAX_LENGTH} characters. "
                                     "Accents are optional; Chinese is cut into words."),
        OpenApiParameter("lang", OpenApiTypes.STR, enum=list(settings.CONTENT_LANGUAGES), required=False,
                         description="The reader's language, whose results come first; by default Accept-Language, "
                                     "then your preferred language."),
    ],
)
class SearchView(generics.ListAPIView):
    """Published modules and lessons containing every word of `q`: the reader's language first, then the
    others (each module or lesson once), with a highlighted extract and your progress. 400 if `q` is
    empty or too long."""

    serializer_class = SearchResultSerializer

    def list(self, request, *args, **kwargs):
        query = search_query_clean(request.query_params.get("q"))
        matches = search_matches(query=query, reader_language=request_language(request))
        page = self.paginate_queryset(matches.hits)
        results = search_results(matches=matches, hits=page, user=request.user)
        return self.get_paginated_response(self.get_serializer(results, many=True).data)
