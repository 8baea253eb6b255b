"""Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite (W3C VC Data Integrity EdDSA Cryptosuites v1.0).

hashData = SHA-256(canonical proof options) + SHA-256(canonical document without proof); the proof
value is the Ed25519 signature of hashData, multibase base58btc. The proof is written as a one-item
array (a proof set), the form the Open Badges 3.0 JSON schema asks for."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .jsonld import UnsafeDocument, canonicalize, expand_safely
from .keys import base58btc_decode, base58btc_encode

CRYPTOSUITE = "eddsa-rdfc-2022"


def _hash_data(unsecured: dict, proof_options: dict) -> bytes:
    options = {**proof_options, "@context": unsecured["@context"]}
    return (hashlib.sha256(canonicalize(options).encode("utf-8")).digest()
            + hashlib.sha256(canonicalize(unsecured).encode("utf-8")).digest())


def sign(document: dict, *, key: Ed25519PrivateKey, verification_method: str, created: str) -> dict:
    """The document with a proof added. `created` is an XML Schema dateTime (e.g. 2026-03-02T10:00:00Z)."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    expand_safely(unsecured)
    options = {"type": "DataIntegrityProof", "cryptosuite": CRYPTOSUITE, "created": created,
               "verificationMethod": verification_method, "proofPurpose": "assertionMethod"}
    signature = key.sign(_hash_data(unsecured, options))
    return {**unsecured, "proof": [{**options, "proofValue": "z" + base58btc_encode(signature)}]}


@dataclass(frozen=True)
class ProofCheck:
    valid: bool
    verification_method: str = ""
    problem: str = ""  # a short English reason for logs and tests; pages show their own words


def verify(document: dict, *, public_key_for: Callable[[str], Ed25519PublicKey | None]) -> ProofCheck:
    """Check the document's eddsa-rdfc-2022 proof. `public_key_for(verification_method)` returns the key
    the issuer publishes under that id, or None."""
    proofs = document.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs] if isinstance(proofs, dict) else []
    if len(proofs) != 1 or not isinstance(proofs[0], dict):
        return ProofCheck(False, problem="expected exactly one proof")
    proof = proofs[0]
    method = str(proof.get("verificationMethod", ""))
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        return ProofCheck(False, method, "unsupported proof type or cryptosuite")
    if proof.get("proofPurpose") != "assertionMethod":
        return ProofCheck(False, method, "the proof purpose is not assertionMethod")
    public_key = public_key_for(method)
    if public_key is None:
        return ProofCheck(False, method, "unknown verification method")
    value = str(proof.get("proofValue", ""))
    try:
        signature = base58btc_decode(value[1:]) if value.startswith("z") else b""
        options = {k: v for k, v in proof.items() if k != "proofValue"}
        unsecured = {k: v for k, v in document.items() if k != "proof"}
        public_key.verify(signature, _hash_data(unsecured, options))
    except (InvalidSignature, ValueError, UnsafeDocument):
        return ProofCheck(False, method, "the signature does not match the document")
    except Exception as exc:  # a JSON-LD error in a document from outside: not a valid proof
        return ProofCheck(False, method, f"the document cannot be canonicalised: {exc.__class__.__name__}")
    return ProofCheck(True, method)
