"""Coaching pages: /coaching/ (role-aware home), coach profile, requests, ranking, proposals, missions, reports."""
from django.urls import path

from . import views

app_name = "coaching"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("profile/", views.CoachProfileView.as_view(), name="coach-profile"),
    path("coaches/", views.CoachListView.as_view(), name="coach-list"),
    path("coaches/<int:pk>/vet/", views.CoachVetView.as_view(), name="coach-vet"),
    path("marketplace/", views.MarketplaceView.as_view(), name="marketplace"),
    path("requests/", views.RequestListView.as_view(), name="request-list"),
    path("requests/new/", views.RequestCreateView.as_view(), name="request-create"),
    path("requests/open-for/", views.RequestOpenForView.as_view(), name="request-open-for"),
    path("requests/<int:pk>/", views.RequestDetailView.as_view(), name="request-detail"),
    path("requests/<int:pk>/edit/", views.RequestEditView.as_view(), name="request-edit"),
    path("requests/<int:pk>/submit/", views.RequestSubmitView.as_view(), name="request-submit"),
    path("requests/<int:pk>/cancel/", views.RequestCancelView.as_view(), name="request-cancel"),
    path("requests/<int:pk>/ranking/", views.RequestRankingView.as_view(), name="request-ranking"),
    path("requests/<int:pk>/propose/", views.ProposalCreateView.as_view(), name="proposal-create"),
    path("requests/<int:pk>/offer/", views.OfferCreateView.as_view(), name="offer-create"),
    path("proposals/<int:pk>/", views.ProposalDetailView.as_view(), name="proposal-detail"),
    path("proposals/<int:pk>/accept/", views.ProposalAcceptView.as_view(), name="proposal-accept"),
    path("proposals/<int:pk>/decline/", views.ProposalDeclineView.as_view(), name="proposal-decline"),
    path("proposals/<int:pk>/confirm/", views.OfferConfirmView.as_view(), name="offer-confirm"),
    path("missions/<int:pk>/", views.MissionDetailView.as_view(), name="mission-detail"),
    path("missions/<int:pk>/objectives/", views.MissionObjectivesView.as_view(), name="mission-objectives"),
    path("missions/<int:pk>/objectives/agree/", views.MissionObjectivesAgreeView.as_view(), name="mission-objectives-agree"),
    path("missions/<int:pk>/sessions/", views.SessionCreateView.as_view(), name="session-create"),
    path("missions/<int:pk>/complete/", views.MissionCompleteView.as_view(), name="mission-complete"),
    path("missions/<int:pk>/follow-up/", views.MissionFollowUpView.as_view(), name="mission-follow-up"),
    path("missions/<int:pk>/complete/decline/", views.MissionCompletionDeclineView.as_view(), name="mission-completion-decline"),
    path("missions/<int:pk>/feedback/", views.FeedbackCreateView.as_view(), name="feedback-create"),
    path("cohorts/", views.CohortReportListView.as_view(), name="cohort-reports"),
    path("cohorts/<int:pk>/", views.CohortReportView.as_view(), name="cohort-report"),
]
