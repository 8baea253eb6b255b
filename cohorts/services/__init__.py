"""Every write on cohorts: the cohort, joining and leaving, invitations, exports, reminders."""
from .cohorts import (
    ModuleAssignment,
    cohort_create,
    cohort_enrolments_sync,
    cohort_join,
    cohort_join_new_user,
    cohort_leave,
    cohort_update,
    invitation_check,
)
from .exports import (
    cell_escape,
    export_downloaded,
    export_file_path,
    export_filename,
    export_generate,
    export_headers,
    export_request,
    export_rows,
    exports_dir,
    exports_purge,
    exports_recover,
)
from .invitations import (
    invitation_create,
    invitation_email_send,
    invitation_join_path,
    invitation_personal_send,
    invitation_revoke,
    invite_csv_parse,
    invite_import_confirm,
    invite_import_counts,
    invite_import_create,
    language_normalise,
)
from .reminders import (
    SendNowResult,
    cohort_reminders_due,
    reminder_email_send,
    reminder_resume_target,
    reminder_send_now,
    reminders_due_send,
)
from .stats import cohort_stats_check, cohort_stats_get, cohort_stats_rebuild, members_refresh

__all__ = [
    "ModuleAssignment", "SendNowResult", "cell_escape", "cohort_create", "cohort_stats_check", "cohort_stats_get",
    "cohort_stats_rebuild", "members_refresh", "cohort_enrolments_sync", "cohort_join",
    "cohort_join_new_user", "cohort_leave", "cohort_reminders_due", "cohort_update", "export_downloaded", "export_file_path",
    "export_filename",
    "export_generate", "export_headers", "export_request", "export_rows", "exports_dir", "exports_purge", "exports_recover",
    "invitation_check",
    "invitation_create", "invitation_email_send", "invitation_join_path", "invitation_revoke", "invite_csv_parse",
    "invite_import_confirm", "invite_import_counts", "invite_import_create", "invitation_personal_send", "language_normalise",
    "reminder_email_send",
    "reminder_resume_target", "reminder_send_now", "reminders_due_send",
]
