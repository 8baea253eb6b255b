"""The Open Badges 3.0 OpenBadgeCredential (VC Data Model 2.0) of a certificate, built from plain values.

Language versions: the achievement's `name` and `description` are in the credential's language (the
schema wants strings); each other language is a `related` achievement (the use the specification gives
for it) carrying its own `inLanguage`, `name` and `description`."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from .jsonld import CREDENTIALS_V2, OPEN_BADGES_V3

# Control characters are written differently by N-Quads serialisers (RDF 1.1 vs 1.2): none is signed.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def clean(text: str, *, multiline: bool = False) -> str:
    text = _CONTROL.sub(" ", text or "")
    return text.strip() if multiline else " ".join(text.split())


def bcp47(language: str) -> str:
    """zh-hans -> zh-Hans (the schema's LanguageCode pattern wants the script in title case)."""
    parts = language.split("-")
    return "-".join([parts[0].lower()] + [p.title() if len(p) == 4 else p.upper() for p in parts[1:]])


def xsd_datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def identity_hash(value: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AchievementText:
    language: str
    name: str
    description: str
    outcomes: tuple[str, ...]
    url: str  # the module's page in this language: the achievement's id and its criteria


@dataclass(frozen=True)
class Issuer:
    did: str
    name: str
    url: str
    image_url: str = ""
    email: str = ""


def criteria_narrative(outcomes: tuple[str, ...], closing: str) -> str:
    lines = [f"- {clean(o)}" for o in outcomes if clean(o)]
    return "\n".join([*lines, "", clean(closing)]).strip()


def credential_document(*, credential_id: str, name: str, description: str, issuer: Issuer, awarded: datetime,
                        texts: list[AchievementText], criteria_closing: str, badge_image_url: str,
                        learner_name: str, email: str, salt: str, status: dict) -> dict:
    """The unsigned credential. `texts[0]` is the credential's language; `status` its credentialStatus."""
    primary, others = texts[0], texts[1:]
    profile = {"id": issuer.did, "type": ["Profile"], "name": clean(issuer.name), "url": issuer.url}
    if issuer.image_url:
        profile["image"] = {"id": issuer.image_url, "type": "Image", "caption": clean(issuer.name)}
    if issuer.email:
        profile["email"] = issuer.email
    achievement = {
        "id": primary.url,
        "type": ["Achievement"],
        "achievementType": "CertificateOfCompletion",
        "name": clean(primary.name),
        "description": clean(primary.description, multiline=True) or clean(primary.name),
        "criteria": {"id": primary.url, "narrative": criteria_narrative(primary.outcomes, criteria_closing)},
        "image": {"id": badge_image_url, "type": "Image"},
        "inLanguage": bcp47(primary.language),
        "creator": profile,
    }
    if others:
        achievement["related"] = [
            {"id": text.url, "type": ["Related"], "inLanguage": bcp47(text.language), "name": clean(text.name),
             "description": clean(text.description, multiline=True) or clean(text.name)}
            for text in others
        ]
    return {
        "@context": [CREDENTIALS_V2, OPEN_BADGES_V3],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": clean(name),
        "description": clean(description),
        "issuer": profile,
        "validFrom": xsd_datetime(awarded),
        "awardedDate": xsd_datetime(awarded),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {"type": "IdentityObject", "identityHash": identity_hash(email.strip().lower(), salt),
                 "identityType": "emailAddress", "hashed": True, "salt": salt},
                {"type": "IdentityObject", "identityHash": clean(learner_name), "identityType": "name", "hashed": False},
            ],
            "achievement": achievement,
        },
        "credentialStatus": status,
    }


def status_entry(*, list_url: str, index: int) -> dict:
    return {"id": f"{list_url}#{index}", "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
            "statusListIndex": str(index), "statusListCredential": list_url}


def status_list_document(*, list_url: str, issuer_did: str, encoded_list: str, valid_from: datetime) -> dict:
    return {
        "@context": [CREDENTIALS_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did,
        "validFrom": xsd_datetime(valid_from),
        "credentialSubject": {"id": f"{list_url}#list", "type": "BitstringStatusList", "statusPurpose": "revocation",
                              "encodedList": encoded_list},
    }
