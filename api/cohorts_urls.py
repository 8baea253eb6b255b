"""/api/v1/ endpoints of the cohorts app."""
from django.urls import path

from . import cohorts as views

urlpatterns = [
    path("cohorts/", views.CohortListCreateView.as_view(), name="cohort-list"),
    path("cohorts/join/", views.CohortJoinView.as_view(), name="cohort-join"),
    path("cohorts/<id:pk>/", views.CohortDetailView.as_view(), name="cohort-detail"),
    path("cohorts/<id:pk>/memberships/", views.CohortMembershipListView.as_view(), name="cohort-memberships"),
    path("cohorts/<id:pk>/memberships/<id:user_id>/", views.CohortMembershipRemoveView.as_view(), name="cohort-membership"),
    path("cohorts/<id:pk>/invitations/", views.InvitationListCreateView.as_view(), name="cohort-invitations"),
    path("cohorts/<id:pk>/invitations/<id:invitation_id>/revoke/", views.InvitationRevokeView.as_view(),
         name="cohort-invitation-revoke"),
    path("cohorts/<id:pk>/invitations/csv/", views.InviteCsvView.as_view(), name="cohort-invite-csv"),
    path("cohorts/<id:pk>/invitations/csv/<id:import_id>/", views.InviteImportDetailView.as_view(), name="cohort-invite-import"),
    path("cohorts/<id:pk>/invitations/csv/<id:import_id>/confirm/", views.InviteImportConfirmView.as_view(),
         name="cohort-invite-import-confirm"),
    path("cohorts/<id:pk>/dashboard/", views.DashboardSummaryView.as_view(), name="cohort-dashboard"),
    path("cohorts/<id:pk>/matrix/", views.MatrixView.as_view(), name="cohort-matrix"),
    path("cohorts/<id:pk>/learners/<id:user_id>/", views.LearnerDetailView.as_view(), name="cohort-learner"),
    path("cohorts/<id:pk>/modules/<id:module_id>/report/", views.ModuleReportView.as_view(), name="cohort-module-report"),
    path("cohorts/<id:pk>/exports/", views.ExportListCreateView.as_view(), name="cohort-exports"),
    path("cohorts/<id:pk>/exports/<id:export_id>/", views.ExportStatusView.as_view(), name="cohort-export"),
    path("cohorts/<id:pk>/exports/<id:export_id>/download/", views.ExportDownloadView.as_view(), name="cohort-export-download"),
    path("cohorts/<id:pk>/reminders/", views.ReminderListCreateView.as_view(), name="cohort-reminders"),
    path("cohort-memberships/", views.MyMembershipListView.as_view(), name="my-cohort-memberships"),
    path("cohort-memberships/<id:membership_id>/leave/", views.MyMembershipLeaveView.as_view(), name="my-cohort-membership-leave"),
]
