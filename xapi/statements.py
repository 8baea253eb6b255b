"""xAPI 1.0.3 statements of Essor's events, with verbs and activity types from published vocabularies
(ADL verbs, cmi5's progress extension, the Open Badges xAPI profile for certificates).

The actor is pseudonymous: an account (the site's address + the user's id), never a name or an email.
Every statement id is a uuid5 of what the statement says (the event and its object), so the same
event always gives the same id and the LRS stores it once, however often it is sent."""
from __future__ import annotations

import uuid

from django.conf import settings

NAMESPACE = uuid.UUID("6f0c1c57-3c39-4a0a-9f1e-6f2b4a7f1e17")  # Essor's; never change it (ids would change)

VERBS = {
    "progressed": "http://adlnet.gov/expapi/verbs/progressed",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "earned": "https://w3id.org/xapi/openbadges/verbs/earned",
    "asked": "http://adlnet.gov/expapi/verbs/asked",
    "registered": "http://adlnet.gov/expapi/verbs/registered",
    "attended": "http://adlnet.gov/expapi/verbs/attended",
    "voided": "http://adlnet.gov/expapi/verbs/voided",
}
ACTIVITY_TYPES = {
    "module": "http://adlnet.gov/expapi/activities/module",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "badge": "https://w3id.org/xapi/openbadges/activity-types/badge",
    "meeting": "http://adlnet.gov/expapi/activities/meeting",
    "objective": "http://adlnet.gov/expapi/activities/objective",
}
PROGRESS_EXTENSION = "https://w3id.org/xapi/cmi5/result/extensions/progress"


def site() -> str:
    return settings.XAPI_ACTIVITY_BASE.rstrip("/")


def statement_id(event: str) -> str:
    return str(uuid.uuid5(NAMESPACE, event))


def actor(user_id: int) -> dict:
    return {"objectType": "Agent", "account": {"homePage": site(), "name": f"user-{user_id}"}}


def activity(path: str, kind: str, name: str = "") -> dict:
    definition = {"type": ACTIVITY_TYPES[kind]}
    if name:
        definition["name"] = {"und": name}
    return {"objectType": "Activity", "id": f"{site()}/{path.strip('/')}", "definition": definition}


def system_actor() -> dict:
    """The site itself, as the actor of the statements it makes about other statements (voiding)."""
    return {"objectType": "Agent", "account": {"homePage": site(), "name": "essor"}}


def voiding(*, original_id: str, timestamp) -> dict:
    """The statement that voids `original_id` (xAPI 1.0.3, 2.2.3 Voided): verb voided, object a StatementRef.
    Its actor is the site, not the learner, and its id follows from the original's, so voiding twice
    stores one statement. No context: `platform` is only allowed about an Activity."""
    return {
        "id": statement_id(f"voided:{original_id}"),
        "actor": system_actor(),
        "verb": {"id": VERBS["voided"], "display": {"en-US": "voided"}},
        "object": {"objectType": "StatementRef", "id": str(original_id)},
        "timestamp": timestamp.isoformat(),
    }


def statement(*, event: str, user_id: int, verb: str, obj: dict, timestamp, result: dict | None = None) -> dict:
    body = {
        "id": statement_id(event),
        "actor": actor(user_id),
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": obj,
        "timestamp": timestamp.isoformat(),
        "context": {"platform": "Essor", "language": settings.LANGUAGE_CODE},
    }
    if result:
        body["result"] = result
    return body
