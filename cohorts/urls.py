from django.urls import path

from . import views

app_name = "cohorts"

urlpatterns = [
    path("", views.CohortListView.as_view(), name="list"),
    path("new/", views.CohortCreateView.as_view(), name="create"),
    path("join/", views.JoinCodeView.as_view(), name="join-code"),
    path("join/<str:token>/", views.JoinView.as_view(), name="join"),
    path("mine/<int:membership_id>/leave/", views.LeaveView.as_view(), name="leave"),
    path("<int:pk>/", views.CohortDashboardView.as_view(), name="dashboard"),
    path("<int:pk>/edit/", views.CohortUpdateView.as_view(), name="update"),
    path("<int:pk>/learners/<int:user_id>/", views.LearnerDetailView.as_view(), name="learner"),
    path("<int:pk>/learners/<int:user_id>/remove/", views.MemberRemoveView.as_view(), name="member-remove"),
    path("<int:pk>/modules/<int:module_id>/", views.ModuleReportView.as_view(), name="module"),
    path("<int:pk>/invitations/", views.InvitationsView.as_view(), name="invitations"),
    path("<int:pk>/invitations/<int:invitation_id>/revoke/", views.InvitationRevokeView.as_view(), name="invitation-revoke"),
    path("<int:pk>/invitations/one/", views.InviteSingleView.as_view(), name="invite-single"),
    path("<int:pk>/invitations/csv/", views.InviteCsvUploadView.as_view(), name="invite-csv"),
    path("<int:pk>/invitations/csv/<int:import_id>/", views.InviteImportView.as_view(), name="invite-import"),
    path("<int:pk>/reminders/", views.RemindersView.as_view(), name="reminders"),
    path("<int:pk>/exports/", views.ExportsView.as_view(), name="exports"),
    path("<int:pk>/exports/<int:export_id>/", views.ExportDetailView.as_view(), name="export"),
    path("<int:pk>/exports/<int:export_id>/status/", views.ExportStatusView.as_view(), name="export-status"),
    path("<int:pk>/exports/<int:export_id>/download/", views.ExportDownloadView.as_view(), name="export-download"),
]
