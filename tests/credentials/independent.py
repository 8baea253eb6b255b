"""A verifier written without the issuing code: JSON-LD read by rdflib (not pyld), RDFC-1.0
canonicalisation written here from the specification, SHA-256 from hashlib, Ed25519 from PyNaCl (not
cryptography), base58 and the status list decoded here. It fetches what a verifier fetches — the did:web
document and the status list credential — through the `get(url) -> dict` it is given.

The canonicalisation handles the graphs our credentials make: every blank node has a unique
first-degree hash (RDFC-1.0 §4.4 steps 1-5); a graph that would need the N-degree step is refused."""
from __future__ import annotations

import base64
import copy
import gzip
import hashlib
import json
import warnings
from pathlib import Path
from urllib.parse import unquote

import nacl.exceptions
import nacl.signing
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

CONTEXTS = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-3.0.3.json",
}
CONTEXT_DIR = Path(__file__).resolve().parents[2] / "credentials" / "contexts"
ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class Invalid(Exception):
    pass


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + ALPHABET.index(char)
    return b"\0" * (len(text) - len(text.lstrip("1"))) + number.to_bytes((number.bit_length() + 7) // 8, "big")


def _inline_contexts(document: dict, extra: dict | None = None) -> dict:
    """The same document with each context URL replaced by the context it names (read from disk)."""
    known = {url: json.loads((CONTEXT_DIR / name).read_text())["@context"] for url, name in CONTEXTS.items()}
    known.update(extra or {})
    doc = copy.deepcopy(document)
    contexts = doc["@context"] if isinstance(doc["@context"], list) else [doc["@context"]]
    doc["@context"] = [known[c] if isinstance(c, str) else c for c in contexts]
    return doc


def _escape(value: str) -> str:
    out = []
    for char in value:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return "".join(out)


def _term(term, labels: dict) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return "_:" + labels[term]
    if isinstance(term, Literal):
        text = f'"{_escape(str(term))}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype and term.datatype != XSD.string:
            return f"{text}^^<{term.datatype}>"
        return text
    raise Invalid(f"unexpected term {term!r}")


def canonical_nquads(document: dict, extra_contexts: dict | None = None) -> str:
    rdflib.NORMALIZE_LITERALS = False  # keep lexical forms exactly as written
    try:
        graph = rdflib.Graph()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's own use of ConjunctiveGraph
            graph.parse(data=json.dumps(_inline_contexts(document, extra_contexts)), format="json-ld")
        triples = list(graph)
    finally:
        rdflib.NORMALIZE_LITERALS = True
    nodes = {t for triple in triples for t in (triple[0], triple[2]) if isinstance(t, BNode)}
    first_degree = {}
    for node in nodes:
        labels = {b: ("a" if b == node else "z") for b in nodes}
        lines = sorted(f"{_term(s, labels)} {_term(p, labels)} {_term(o, labels)} .\n"
                       for s, p, o in triples if node in (s, o))
        first_degree[node] = hashlib.sha256("".join(lines).encode()).hexdigest()
    if len(set(first_degree.values())) != len(first_degree):
        raise Invalid("this graph needs RDFC-1.0's N-degree hashing, which this verifier does not implement")
    labels = {node: f"c14n{n}" for n, node in enumerate(sorted(nodes, key=first_degree.get))}
    return "".join(sorted(f"{_term(s, labels)} {_term(p, labels)} {_term(o, labels)} .\n" for s, p, o in triples))


def did_web_url(did: str) -> str:
    parts = did.split(":")
    if parts[:2] != ["did", "web"]:
        raise Invalid("not a did:web")
    host, path = unquote(parts[2]), [unquote(p) for p in parts[3:]]
    return f"https://{host}/" + ("/".join(path) + "/did.json" if path else ".well-known/did.json")


def verify_proof(document: dict, get, extra_contexts: dict | None = None) -> str:
    """Check the eddsa-rdfc-2022 proof; return the verification method. Raises Invalid."""
    proofs = document.get("proof")
    proof = proofs[0] if isinstance(proofs, list) and len(proofs) == 1 else proofs
    if not isinstance(proof, dict) or proof.get("cryptosuite") != "eddsa-rdfc-2022" or proof.get("type") != "DataIntegrityProof":
        raise Invalid("no eddsa-rdfc-2022 proof")
    method = proof["verificationMethod"]
    did = method.split("#")[0]
    issuer = document["issuer"]["id"] if isinstance(document["issuer"], dict) else document["issuer"]
    if did != issuer:
        raise Invalid("the key does not belong to the issuer")
    did_document = get(did_web_url(did))
    if did_document.get("id") != did or method not in did_document.get("assertionMethod", []):
        raise Invalid("the issuer does not authorise this key to assert credentials")
    entry = next((m for m in did_document["verificationMethod"] if m["id"] == method), None)
    if entry is None:
        raise Invalid("unknown key")
    raw = b58decode(entry["publicKeyMultibase"][1:])
    if raw[:2] != b"\xed\x01":
        raise Invalid("not an Ed25519 Multikey")
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    options = {k: v for k, v in proof.items() if k != "proofValue"} | {"@context": document["@context"]}
    hash_data = (hashlib.sha256(canonical_nquads(options, extra_contexts).encode()).digest()
                 + hashlib.sha256(canonical_nquads(unsecured, extra_contexts).encode()).digest())
    try:
        nacl.signing.VerifyKey(raw[2:]).verify(hash_data, b58decode(proof["proofValue"][1:]))
    except nacl.exceptions.BadSignatureError as exc:
        raise Invalid("the signature does not match") from exc
    return method


def revoked(document: dict, get) -> bool:
    entry = document["credentialStatus"]
    if entry["type"] != "BitstringStatusListEntry" or entry["statusPurpose"] != "revocation":
        raise Invalid("unknown status method")
    status_list = get(entry["statusListCredential"])
    verify_proof(status_list, get)
    if status_list["issuer"] != (document["issuer"]["id"] if isinstance(document["issuer"], dict) else document["issuer"]):
        raise Invalid("the status list is not the credential issuer's")
    encoded = status_list["credentialSubject"]["encodedList"]
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    if len(bits) * 8 < 131072:
        raise Invalid("status list too short")
    index = int(entry["statusListIndex"])
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def verify(document: dict, get) -> None:
    """Raise Invalid unless the credential's proof verifies and it is not revoked."""
    verify_proof(document, get)
    if revoked(document, get):
        raise Invalid("revoked")
