"""/api/v1/ endpoints of the cohorts app."""
from django.urls import path

from . import cohorts as views

urlpatterns = [
    path("cohorts/", views.CohortListCreateView.as_view(), name="cohort-list"),
    path("cohorts/join/", views.CohortJoinView.as_view(), name="cohort-join"),
    path("cohorts/<int:pk>/", views.CohortDetailView.as_view(), name="cohort-detail"),
    path("cohorts/<int:pk>/memberships/", views.CohortMembershipListView.as_view(), name="cohort-memberships"),
    path("cohorts/<int:pk>/memberships/<int:user_id>/", views.CohortMembershipRemoveView.as_view(), name="cohort-membership"),
    path("cohorts/<int:pk>/invitations/", views.InvitationListCreateView.as_view(), name="cohort-invitations"),
    path("cohorts/<int:pk>/invitations/<int:invitation_id>/revoke/", views.InvitationRevokeView.as_view(),
         name="cohort-invitation-revoke"),
    path("cohorts/<int:pk>/invitations/csv/", views.InviteCsvView.as_view(), name="cohort-invite-csv"),
    path("cohorts/<int:pk>/invitations/csv/<int:import_id>/", views.InviteImportDetailView.as_view(), name="cohort-invite-import"),
    path("cohorts/<int:pk>/invitations/csv/<int:import_id>/confirm/", views.InviteImportConfirmView.as_view(),
         name="cohort-invite-import-confirm"),
    path("cohorts/<int:pk>/dashboard/", views.DashboardSummaryView.as_view(), name="cohort-dashboard"),
    path("cohorts/<int:pk>/matrix/", views.MatrixView.as_view(), name="cohort-matrix"),
    path("cohorts/<int:pk>/learners/<int:user_id>/", views.LearnerDetailView.as_view(), name="cohort-learner"),
    path("cohorts/<int:pk>/modules/<int:module_id>/report/", views.ModuleReportView.as_view(), name="cohort-module-report"),
    path("cohorts/<int:pk>/exports/", views.ExportListCreateView.as_view(), name="cohort-exports"),
    path("cohorts/<int:pk>/exports/<int:export_id>/", views.ExportStatusView.as_view(), name="cohort-export"),
    path("cohorts/<int:pk>/exports/<int:export_id>/download/", views.ExportDownloadView.as_view(), name="cohort-export-download"),
    path("cohorts/<int:pk>/reminders/", views.ReminderListCreateView.as_view(), name="cohort-reminders"),
    path("cohort-memberships/", views.MyMembershipListView.as_view(), name="my-cohort-memberships"),
    path("cohort-memberships/<int:membership_id>/leave/", views.MyMembershipLeaveView.as_view(), name="my-cohort-membership-leave"),
]
