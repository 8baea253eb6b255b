"""JSON-LD for the credentials: the contexts shipped in contexts/ (never fetched) and RDF canonicalisation.

Canonicalisation is pyld's URDNA2015, the algorithm RDFC-1.0 standardised (identical output for the
data we sign; checked against the W3C eddsa-rdfc-2022 test vector in the tests). Like jsonld.js's
"safe mode", a term the contexts do not define, or a relative type, is an error rather than silently
left out of what the signature covers."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from pyld.jsonld import JsonLdError, JsonLdProcessor

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"
CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OPEN_BADGES_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXT_FILES = {
    CREDENTIALS_V2: "credentials-v2.jsonld",
    OPEN_BADGES_V3: "ob-v3p0-3.0.3.json",
}


class UnsafeDocument(ValueError):
    """The document uses a term or a type its contexts do not define."""


@cache
def _context(name: str) -> dict:
    return json.loads((CONTEXTS_DIR / name).read_text(encoding="utf-8"))


def document_loader(url: str, options: dict | None = None) -> dict:
    name = CONTEXT_FILES.get(url)
    if name is None:
        raise JsonLdError(f"The context {url} is not shipped with Essor; contexts are never fetched.",
                          "jsonld.LoadDocumentError", code="loading document failed")
    return {"contextUrl": None, "documentUrl": url, "document": _context(name)}


def _refuse(term) -> None:
    raise UnsafeDocument(f"The term {term!r} is not defined by the document's contexts.")


def _processor() -> JsonLdProcessor:
    return JsonLdProcessor(on_property_dropped=_refuse)


def _check_types(node) -> None:
    if isinstance(node, list):
        for item in node:
            _check_types(item)
    elif isinstance(node, dict):
        for value in node.get("@type", []) if isinstance(node.get("@type"), list) else []:
            if ":" not in value:
                raise UnsafeDocument(f"The type {value!r} is not defined by the document's contexts.")
        for key, value in node.items():
            if key not in ("@type", "@value"):
                _check_types(value)


def expand_safely(document: dict) -> list:
    """Expanded form; raises UnsafeDocument for a dropped term or a relative type."""
    try:
        expanded = _processor().expand(document, {"documentLoader": document_loader})
    except JsonLdError as exc:
        if isinstance(exc.__cause__, UnsafeDocument):
            raise exc.__cause__ from None
        raise
    _check_types(expanded)
    return expanded


def canonicalize(document: dict) -> str:
    """The canonical N-Quads of a JSON-LD document (RDFC-1.0)."""
    try:
        return _processor().normalize(document, {"algorithm": "URDNA2015", "format": "application/n-quads",
                                                 "documentLoader": document_loader})
    except JsonLdError as exc:
        cause = exc
        while cause is not None:
            if isinstance(cause, UnsafeDocument):
                raise cause from None
            cause = cause.__cause__
        raise
