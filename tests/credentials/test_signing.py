"""The Open Badges credential: the signer against the W3C test vector, the shipped contexts, the 1EdTech
JSON schema, and an independent verifier that passes for an issued credential and fails for a tampered,
a revoked or an unknown-key one; key rotation."""
import copy
import hashlib
import json
from pathlib import Path

import jsonschema
import pytest
from pyld.jsonld import JsonLdError

from credentials import dataintegrity, jsonld, keys
from credentials.models import Credential
from credentials.services import credential_for_certificate, status_list_credential
from learners.services import certificate_revoke
from tests.credentials import independent
from tests.credentials.conftest import TEST_PUBLIC, earn
from tests.factories import UserFactory

HERE = Path(__file__).resolve().parent
VECTORS = HERE / "vectors"
EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"
SCHEMA = json.loads((HERE / "ob_v3p0_achievementcredential_schema.json").read_text())


def test_the_signer_reproduces_the_w3c_eddsa_rdfc_2022_test_vector(monkeypatch):
    monkeypatch.setitem(jsonld.CONTEXT_FILES, EXAMPLES_V2, str(VECTORS / "credentials-examples-v2.jsonld"))
    unsigned = json.loads((VECTORS / "unsigned.json").read_text())
    expected = json.loads((VECTORS / "signedDataInt.json").read_text())
    assert jsonld.canonicalize(unsigned) == (VECTORS / "canonDocDataInt.txt").read_text().strip() + "\n"
    key = keys._signing_key(json.loads((VECTORS / "keyPair.json").read_text())["privateKeyMultibase"])
    assert key.public_multibase == json.loads((VECTORS / "keyPair.json").read_text())["publicKeyMultibase"]
    signed = dataintegrity.sign(unsigned, key=key.private, verification_method=expected["proof"]["verificationMethod"],
                                created=expected["proof"]["created"])
    # Ed25519 is deterministic: the same bytes as the specification's example, to the last character.
    assert signed["proof"][0]["proofValue"] == expected["proof"]["proofValue"]


def test_the_independent_verifier_agrees_with_the_w3c_vector():
    signed = json.loads((VECTORS / "signedDataInt.json").read_text())
    extra = {EXAMPLES_V2: json.loads((VECTORS / "credentials-examples-v2.jsonld").read_text())["@context"]}
    assert independent.canonical_nquads({k: v for k, v in signed.items() if k != "proof"}, extra) == \
        (VECTORS / "canonDocDataInt.txt").read_text().strip() + "\n"


def test_the_contexts_are_the_published_files_and_nothing_is_fetched():
    published = {"credentials-v2.jsonld": "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
                  "ob-v3p0-3.0.3.json": "3d34f4d4ef1bce691106e63798beb5e7b862ba841423f5ee1e53ab7ddf3bca84"}
    for name, digest in published.items():
        assert hashlib.sha256((jsonld.CONTEXTS_DIR / name).read_bytes()).hexdigest() == digest
    with pytest.raises(JsonLdError, match="never fetched"):
        jsonld.document_loader("https://w3id.org/security/data-integrity/v2")


def test_an_undefined_term_is_refused_rather_than_left_unsigned(certificate):
    document = copy.deepcopy(credential_for_certificate(certificate=certificate).document)
    document["credentialSubject"]["favouriteColour"] = "green"
    with pytest.raises(jsonld.UnsafeDocument, match="favouriteColour"):
        dataintegrity.sign(document, key=keys.signing_key().private, verification_method="did:web:x#k", created="2026-01-01T00:00:00Z")


def test_an_issued_credential_is_open_badges_3_valid_and_verifies_independently(certificate, fetch):
    document = credential_for_certificate(certificate=certificate).document
    validator = jsonschema.Draft201909Validator(SCHEMA, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER)
    assert sorted(e.message for e in validator.iter_errors(document)) == []
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["id"] == f"https://essor.example.org/verify/{certificate.code}"
    subject = document["credentialSubject"]
    email_id, name_id = subject["identifier"]
    assert email_id["hashed"] and email_id["identityHash"] == "sha256$" + hashlib.sha256(
        (certificate.user.email.lower() + email_id["salt"]).encode()).hexdigest()
    assert certificate.user.email not in json.dumps(document)
    assert name_id == {"type": "IdentityObject", "identityHash": certificate.learner_name, "identityType": "name", "hashed": False}
    achievement = subject["achievement"]
    assert achievement["inLanguage"] == "fr" and achievement["name"] == "basic-finance title fr"
    assert "- outcome fr" in achievement["criteria"]["narrative"]
    assert {(r["inLanguage"], r["name"]) for r in achievement["related"]} == {("zh-Hans", "basic-finance title zh-hans"),
                                                                                ("en", "basic-finance title en")}
    method = independent.verify_proof(document, fetch)
    assert method == f"did:web:essor.example.org#{TEST_PUBLIC}"
    assert independent.revoked(document, fetch) is False


@pytest.mark.parametrize("tamper", [
    lambda d: d["credentialSubject"]["identifier"][1].update(identityHash="Someone Else"),
    lambda d: d["credentialSubject"]["achievement"].update(name="A module never taken"),
    lambda d: d.update(validFrom="2020-01-01T00:00:00Z"),
    lambda d: d["issuer"].update(name="Another organisation"),
    lambda d: d["proof"][0].update(created="2020-01-01T00:00:00Z"),
], ids=["name", "module", "date", "issuer", "proof-options"])
def test_a_tampered_credential_fails_both_verifiers(certificate, fetch, tamper):
    document = copy.deepcopy(credential_for_certificate(certificate=certificate).document)
    tamper(document)
    with pytest.raises(independent.Invalid, match="signature does not match"):
        independent.verify(document, fetch)
    from credentials.selectors import certificate_check

    assert certificate_check(certificate, document).signature_valid is False


def test_a_revoked_credential_fails_through_the_status_list(certificate, fetch):
    document = credential_for_certificate(certificate=certificate).document
    independent.verify(document, fetch)
    certificate_revoke(certificate=certificate, reason="Quiz answers shared")
    with pytest.raises(independent.Invalid, match="revoked"):
        independent.verify(document, fetch)
    # Its neighbours in the list are untouched.
    other = earn(UserFactory(is_learner=True), certificate.module)
    independent.verify(credential_for_certificate(certificate=other).document, fetch)


def test_revocation_indexes_are_random_and_unique_per_issuer(module):
    credentials = [credential_for_certificate(certificate=earn(UserFactory(is_learner=True), module)) for _ in range(5)]
    indexes = [c.status_index for c in credentials]
    assert len(set(indexes)) == 5
    assert {c.status_list for c in credentials} == {"site"}


def test_a_credential_signed_by_a_retired_key_still_verifies_and_a_removed_key_does_not(certificate, fetch, settings):
    old = credential_for_certificate(certificate=certificate).document
    new_key = keys.private_multibase_new()
    settings.CREDENTIALS_SIGNING_KEY, settings.CREDENTIALS_RETIRED_KEYS = new_key, [TEST_PUBLIC]
    did_document = fetch("https://essor.example.org/.well-known/did.json")
    assert [m["publicKeyMultibase"] for m in did_document["verificationMethod"]] == [keys.signing_key().public_multibase, TEST_PUBLIC]
    independent.verify(old, fetch)  # rotated: the old key stays published
    newer = credential_for_certificate(certificate=earn(UserFactory(is_learner=True), certificate.module)).document
    assert newer["proof"][0]["verificationMethod"].endswith(keys.signing_key().public_multibase)
    independent.verify(newer, fetch)
    settings.CREDENTIALS_RETIRED_KEYS = []  # compromised: withdrawn
    with pytest.raises(independent.Invalid, match="does not authorise"):
        independent.verify(old, fetch)


def test_the_status_list_is_signed_and_cached_until_its_bits_change(certificate, django_assert_max_num_queries):
    credential = credential_for_certificate(certificate=certificate)
    first = status_list_credential(status_list="site", intermediary_id=None)
    with django_assert_max_num_queries(1):
        assert status_list_credential(status_list="site", intermediary_id=None) == first
    certificate_revoke(certificate=certificate, reason="Error")
    second = status_list_credential(status_list="site", intermediary_id=None)
    assert second["credentialSubject"]["encodedList"] != first["credentialSubject"]["encodedList"]
    assert Credential.objects.get(pk=credential.pk).status_index >= 0
