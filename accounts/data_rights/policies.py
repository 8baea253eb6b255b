"""The erasure policy of every relation to the user model: what deleting an account does to the rows
that point at the person. tests/accounts/test_data_rights_erasure.py walks every model of every
installed app (django.apps.apps.get_models, auto-created many-to-many tables included) and fails on a
foreign key or one-to-one to the user that is not listed here, so a new model cannot forget it.

Policies (docs/privacy.md):
- ERASE: the rows are deleted.
- ANONYMISE: the rows stay (others rely on them) and their personal contents are blanked by a handler
  in accounts/data_rights/erasure.py.
- KEEP_WITHOUT_IDENTITY: the rows stay untouched; they point at the person's account row, which keeps
  no identity at all once erased (no name, email, phone, association, password), so they only count
  anonymously (cohort aggregates, module results) or record that "someone" did something.
"""
from __future__ import annotations

from dataclasses import dataclass

ERASE = "erase"
ANONYMISE = "anonymise"
KEEP_WITHOUT_IDENTITY = "keep_without_identity"


@dataclass(frozen=True)
class Policy:
    action: str
    why: str


# "<app_label>.<ModelName>.<field>" -> policy. Entries of apps that are not installed are ignored
# (auditlog: the audit log being introduced keeps who did what, without identity once erased).
POLICIES: dict[str, Policy] = {
    # accounts
    "accounts.ConsentRecord.user": Policy(KEEP_WITHOUT_IDENTITY, "Proof of what was agreed; the text names no one."),
    "accounts.PhoneCode.user": Policy(ERASE, "One-time SMS codes of a deleted account (codes by number are deleted too)."),
    "social_django.UserSocialAuth.user": Policy(ERASE, "A WeChat identity linked to a deleted account must stop logging in."),
    "impact.NetworkStaff.user": Policy(ERASE, "A deleted account is no one's network staff."),
    "impact.NetworkMembership.invited_by": Policy(KEEP_WITHOUT_IDENTITY, "The network link belongs to the organisations."),
    "impact.NetworkMembership.responded_by": Policy(KEEP_WITHOUT_IDENTITY, "The network link belongs to the organisations."),
    "impact.ImpactReport.created_by": Policy(KEEP_WITHOUT_IDENTITY, "The report holds aggregates only; who asked is anonymous."),
    "accounts.IntermediaryStaff.user": Policy(ERASE, "A deleted account is no one's staff."),
    "accounts.User_groups.user": Policy(ERASE, "Permissions of a deleted account."),
    "accounts.User_user_permissions.user": Policy(ERASE, "Permissions of a deleted account."),
    # Django and libraries
    "admin.LogEntry.user": Policy(KEEP_WITHOUT_IDENTITY, "Admin history of objects; the admin row has no identity left."),
    "authtoken.Token.user": Policy(ERASE, "An API key of a deleted account must stop working."),
    "auditlog.LogEntry.actor": Policy(KEEP_WITHOUT_IDENTITY, "The audit log keeps what was done, not by whom."),
    # xapi: the ids of the statements sent to the LRS about the person
    "xapi.StatementRecord.user": Policy(ERASE, "Each statement is voided in the LRS first (xapi.hooks.account_erased, "
                                               "through the outbox); the voiding statements name no one."),
    # learners: kept so that cohort aggregates and module results stay right as anonymous counts
    "learners.Enrollment.user": Policy(KEEP_WITHOUT_IDENTITY, "Anonymous progress counted in cohort and module figures."),
    "learners.LessonProgress.user": Policy(KEEP_WITHOUT_IDENTITY, "Anonymous progress counted in module figures."),
    "learners.QuizAttempt.user": Policy(ANONYMISE, "Anonymous answers counted in per-question results; client key blanked."),
    "learners.Certificate.user": Policy(ANONYMISE, "Revoked through the status list; the name on it is blanked."),
    "learners.DiagnosticResponse.user": Policy(ANONYMISE, "Anonymous scores in cohort averages; association unlinked."),
    # cohorts
    "cohorts.CohortMembership.user": Policy(ANONYMISE, "An anonymous member of the cohort's counts; sort keys blanked."),
    "cohorts.CohortReminder.user": Policy(ERASE, "Reminders to a deleted account serve no one."),
    "cohorts.CohortReminder.created_by": Policy(KEEP_WITHOUT_IDENTITY, "Staff's record of reminders sent."),
    "cohorts.Cohort.created_by": Policy(KEEP_WITHOUT_IDENTITY, "The cohort belongs to its intermediary."),
    "cohorts.Cohort_facilitators.user": Policy(ERASE, "A deleted account facilitates nothing."),
    "cohorts.CohortInvitation.created_by": Policy(KEEP_WITHOUT_IDENTITY, "The invitation belongs to the cohort."),
    "cohorts.CohortInviteImport.created_by": Policy(KEEP_WITHOUT_IDENTITY, "The import belongs to the cohort."),
    "cohorts.CohortExport.created_by": Policy(KEEP_WITHOUT_IDENTITY, "The export belongs to the cohort."),
    # courses: content written stays with the module (an organisation's work)
    "courses.Module_authors.user": Policy(ERASE, "A deleted account is no longer an author."),
    "courses.LessonTranslation.updated_by": Policy(KEEP_WITHOUT_IDENTITY, "The lesson stays; the editor is anonymous."),
    "courses.LessonImage.uploaded_by": Policy(KEEP_WITHOUT_IDENTITY, "The image belongs to the module."),
    "courses.ContentChange.user": Policy(KEEP_WITHOUT_IDENTITY, "The module's history; the editor is anonymous."),
    # coaching: the other side keeps what it wrote, without the person's identity
    "coaching.CoachProfile.user": Policy(ANONYMISE, "Missions keep their coach row; biography, employer, city, skills erased."),
    "coaching.CoachProfile.vetted_by": Policy(KEEP_WITHOUT_IDENTITY, "The vetting stays; the vetter is anonymous."),
    "coaching.CoachingRequest.learner": Policy(ANONYMISE, "Live requests cancelled; need, result, city, association erased."),
    "coaching.CoachingRequest.created_by": Policy(KEEP_WITHOUT_IDENTITY, "Who opened it (staff) is anonymous once erased."),
    "coaching.RequestTransition.by": Policy(ANONYMISE, "The status history stays; notes written by the person erased."),
    "coaching.Proposal.created_by": Policy(ANONYMISE, "The proposal stays; the message written by the person erased."),
    "coaching.Proposal.responded_by": Policy(ANONYMISE, "The answer stays; the reason written by the person erased."),
    "coaching.Mission.objectives_set_by": Policy(KEEP_WITHOUT_IDENTITY, "Objectives belong to both sides of the mission."),
    "coaching.Mission.completion_requested_by": Policy(KEEP_WITHOUT_IDENTITY, "A step of the mission, anonymous."),
    "coaching.Session.logged_by": Policy(ANONYMISE, "Sessions stay for the other side; notes the person wrote erased."),
    "coaching.Feedback.author": Policy(ANONYMISE, "The rating counts anonymously; the comment the person wrote erased."),
}


def policy_for(label: str) -> Policy | None:
    return POLICIES.get(label)


__all__ = ["ANONYMISE", "ERASE", "KEEP_WITHOUT_IDENTITY", "POLICIES", "Policy", "policy_for"]
