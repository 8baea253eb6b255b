"""The API's root (its sections) and the account endpoint: the current user's profile."""
from django.urls import NoReverseMatch, reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.services import user_profile_update

from .serializers import MeSerializer


@extend_schema(tags=["accounts"])
class MeView(generics.RetrieveUpdateAPIView):
    """The logged-in user's own profile."""

    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user

    def perform_update(self, serializer):
        serializer.instance = user_profile_update(user=self.request.user, data=dict(serializer.validated_data))


# Each section's entry point, by the URL name of its first endpoint (a section whose app is absent is left out).
SECTIONS = {
    "me": "api:me",
    "modules": "api:module-list",
    "lessons": "api:lesson-list",
    "enrollments": "api:enrollment-list",
    "progress": "api:progress",
    "quiz_attempts": "api:quiz-attempt-list",
    "certificates": "api:certificate-list",
    "diagnostic": "api:diagnostic",
    "cohorts": "api:cohort-list",
    "cohort_memberships": "api:my-cohort-memberships",
    "coaching_profile": "api:coaching-profile",
    "coaching_requests": "api:coaching-request-list",
    "coaching_proposals": "api:coaching-proposal-list",
    "coaching_missions": "api:coaching-mission-list",
    "coaching_marketplace": "api:coaching-marketplace",
}


@extend_schema(tags=["api"], responses=inline_serializer("ApiRoot", {name: serializers.URLField() for name in SECTIONS}))
class ApiRootView(APIView):
    """The API's sections and their URLs (authentication required); the schema is at /api/schema/."""

    def get(self, request):
        sections = {}
        for name, url_name in SECTIONS.items():
            try:
                sections[name] = request.build_absolute_uri(reverse(url_name))
            except NoReverseMatch:
                continue
        return Response(sections)
