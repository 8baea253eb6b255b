"""Every write of the coaching app (re-exported: `from coaching.services import proposal_create`)."""
from .missions import (
    feedback_give,
    mission_complete,
    mission_completion_decline,
    mission_objectives_agree,
    mission_objectives_set,
    session_log,
)
from .profiles import coach_profile_save, coach_vet
from .proposals import (
    offer_confirm,
    offer_create,
    proposal_accept,
    proposal_create,
    proposal_decline,
    proposals_expire,
)
from .requests import (
    request_cancel,
    request_create,
    request_follow_up,
    request_submit,
    request_transition,
    request_update,
    requests_expire,
)

__all__ = [
    "coach_profile_save", "coach_vet",
    "request_create", "request_follow_up", "request_update", "request_submit", "request_cancel", "request_transition", "requests_expire",
    "proposal_create", "offer_create", "proposal_accept", "offer_confirm", "proposal_decline", "proposals_expire",
    "mission_objectives_set", "mission_objectives_agree", "session_log", "mission_complete", "mission_completion_decline",
    "feedback_give",
]
