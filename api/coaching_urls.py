"""/api/v1/coaching/ — coach profile, coaches (staff), requests, proposals, marketplace, missions."""
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import coaching

# Path converters (not regexes): the viewsets' lookup_value_converter = "id" gives <id:pk>.
router = DefaultRouter(trailing_slash=True, use_regex_path=False)
router.include_root_view = False
router.include_format_suffixes = False
router.register("coaching/coaches", coaching.CoachViewSet, basename="coaching-coach")
router.register("coaching/requests", coaching.RequestViewSet, basename="coaching-request")
router.register("coaching/proposals", coaching.ProposalViewSet, basename="coaching-proposal")
router.register("coaching/missions", coaching.MissionViewSet, basename="coaching-mission")

urlpatterns = [
    path("coaching/profile/", coaching.CoachProfileAPIView.as_view(), name="coaching-profile"),
    path("coaching/marketplace/", coaching.MarketplaceAPIView.as_view(), name="coaching-marketplace"),
    path("", include(router.urls)),
]
