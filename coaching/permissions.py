"""Who may do what to which coaching object.

- A learner sees and manages their own requests and missions.
- Staff of an intermediary reach a learner's coaching data **only through a request tied to one of
  their intermediary's cohorts in which the learner's membership is active** (`staff_request_q`).
  Leaving the cohort ends it (coming back restores it); a learner in the cohorts of two
  intermediaries is seen by each only for the requests tied to that intermediary's cohort; a
  request tied to no cohort is followed by no intermediary. Drafts stay private to their author.
- A coach sees the requests proposed to them (or that they offered on), the open requests that fit
  them in the marketplace (without the learner's contact details), and their missions.
- Contact details (email, phone) are shown to the two sides only once the match is confirmed.

docs/security.md ("Who sees what") lists the rules of every role and the table that tests them.
"""
from django.db.models import Exists, OuterRef, Q

from accounts.models import IntermediaryStaff
from cohorts.models import CohortMembership

from .models import CoachingRequest, Mission


def staff_intermediary_ids(user) -> list[int]:
    """The intermediaries a user is staff of (cached on the instance for the request)."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_coaching_intermediary_ids"):
        user._coaching_intermediary_ids = list(
            IntermediaryStaff.objects.filter(user=user).values_list("intermediary_id", flat=True)
        )
    return user._coaching_intermediary_ids


def is_coaching_staff(user) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(staff_intermediary_ids(user)))


def active_memberships_of_staff(user):
    """Active memberships in the cohorts of the user's intermediaries (every one for an admin)."""
    memberships = CohortMembership.objects.filter(status=CohortMembership.Status.ACTIVE)
    if user.is_superuser:
        return memberships
    return memberships.filter(cohort__intermediary_id__in=staff_intermediary_ids(user))


def staff_request_q(user) -> Q:
    """The requests a staff member follows, as a filter on CoachingRequest: those tied to a cohort of
    their intermediary in which the learner is an active member (drafts: only their author's)."""
    not_draft = ~Q(status=CoachingRequest.Status.DRAFT) | Q(created_by=user)
    if user.is_superuser:
        return not_draft
    ids = staff_intermediary_ids(user)
    if not ids:
        return Q(pk__in=[])
    active = CohortMembership.objects.filter(cohort_id=OuterRef("cohort_id"), user_id=OuterRef("learner_id"),
                                             status=CohortMembership.Status.ACTIVE, cohort__intermediary_id__in=ids)
    return Q(Exists(active)) & not_draft


def can_manage_request(user, request: CoachingRequest) -> bool:
    """Staff who follow the request (propose coaches, confirm offers, cancel)."""
    if not is_coaching_staff(user):
        return False
    return CoachingRequest.objects.filter(staff_request_q(user), pk=request.pk).exists()


def is_request_learner(user, request: CoachingRequest) -> bool:
    return user.is_authenticated and request.learner_id == user.id


def can_edit_request(user, request: CoachingRequest) -> bool:
    if request.status not in (CoachingRequest.Status.DRAFT, CoachingRequest.Status.OPEN):
        return False
    return is_request_learner(user, request) or can_manage_request(user, request)


def mission_side(user, mission: Mission) -> str | None:
    """"learner" or "coach" when the user is one of the pair, else None."""
    if not user.is_authenticated:
        return None
    if mission.request.learner_id == user.id:
        return "learner"
    if mission.coach.user_id == user.id:
        return "coach"
    return None


def can_view_mission(user, mission: Mission) -> bool:
    return mission_side(user, mission) is not None or can_manage_request(user, mission.request)


def can_vet_coaches(user) -> bool:
    return is_coaching_staff(user)
