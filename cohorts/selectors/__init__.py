"""Every read the cohort pages, the API and the export need (filtered by permission here)."""
from .cohorts import (
    code_normalise,
    cohort_get_for_staff,
    cohort_list_for_staff,
    cohort_member_get,
    cohort_member_values,
    export_get,
    export_list,
    invitation_by_code,
    invitation_by_token,
    invitation_get,
    invitation_list,
    invite_import_get,
    invite_import_rows,
    membership_get_for_learner,
    membership_list_for_learner,
    reminder_list,
)
from .dashboard import (
    COMPLETED,
    IN_PROGRESS,
    NOT_STARTED,
    SORTS,
    STALLED,
    STATUS_LABELS,
    STATUSES,
    CohortDashboard,
    LearnerRow,
    coaching_summary,
    cohort_dashboard,
    cohort_matrix_filter,
    cohort_module_columns,
    row_as_dict,
    summary_as_dict,
)
from .reports import cohort_learner_detail, cohort_module_report

__all__ = [
    "COMPLETED", "IN_PROGRESS", "NOT_STARTED", "SORTS", "STALLED", "STATUSES", "STATUS_LABELS",
    "CohortDashboard", "LearnerRow",
    "coaching_summary", "code_normalise", "cohort_dashboard", "cohort_get_for_staff",
    "cohort_learner_detail", "cohort_list_for_staff", "cohort_matrix_filter", "cohort_member_get", "cohort_member_values",
    "cohort_module_columns", "cohort_module_report", "export_get", "export_list", "invitation_by_code",
    "invitation_by_token", "invitation_get", "invitation_list", "invite_import_get", "invite_import_rows",
    "membership_get_for_learner", "membership_list_for_learner", "reminder_list", "row_as_dict", "summary_as_dict",
]
