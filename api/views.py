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


class MeExportView(APIView):
    """Export my data (GDPR art. 15 and 20, PIPL art. 45): everything the site holds about the logged-in
    person, as one JSON file (a download). Only ever the caller's own data."""

    @extend_schema(
        tags=["accounts"], operation_id="me_export",
        responses={(200, "application/json"): inline_serializer("PersonalDataExport", {
            "format": serializers.CharField(help_text="Always \"essor-personal-data\"."),
            "version": serializers.IntegerField(),
            "generated_at": serializers.DateTimeField(),
            "sections": serializers.DictField(help_text="profile, association, consents, staff_memberships, cohort_memberships, "
                                                        "cohorts_facilitated, reminders_received, enrolments, lesson_progress, "
                                                        "quiz_attempts, certificates, diagnostics, coach_profile, coaching_requests, "
                                                        "request_steps, proposals_made, proposals_answered, missions, sessions, "
                                                        "feedback_written, modules_authored, records_created (docs/privacy.md)."),
            "coverage": serializers.DictField(child=serializers.CharField(),
                                              help_text="Every relation to the person's account and the section that holds it."),
        })},
    )
    def get(self, request):
        from accounts.views_data_rights import export_response

        return export_response(request.user)


# Each section's entry point, by the URL name of its first endpoint (a section whose app is absent is left out).
SECTIONS = {
    "me": "api:me",
    "me_export": "api:me-export",
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
