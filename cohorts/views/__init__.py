"""Cohort pages: staff (list, form, dashboard, drill-downs, invitations, exports, reminders) and learners (join, leave)."""
from .exports import ExportDetailView, ExportDownloadView, ExportStatusView, ExportsView
from .invitations import InvitationRevokeView, InvitationsView, InviteCsvUploadView, InviteImportView, InviteSingleView
from .join import JoinCodeView, JoinView, LeaveView
from .staff import (
    CohortCreateView,
    CohortDashboardView,
    CohortListView,
    CohortUpdateView,
    LearnerDetailView,
    MemberRemoveView,
    ModuleReportView,
    RemindersView,
)

__all__ = [
    "CohortCreateView", "CohortDashboardView", "CohortListView", "CohortUpdateView", "ExportDetailView", "ExportDownloadView",
    "ExportStatusView", "ExportsView", "InvitationRevokeView", "InvitationsView", "InviteCsvUploadView", "InviteImportView",
    "InviteSingleView",
    "JoinCodeView", "JoinView", "LeaveView", "LearnerDetailView", "MemberRemoveView", "ModuleReportView", "RemindersView",
]
