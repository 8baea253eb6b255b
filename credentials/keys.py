"""The issuer's Ed25519 key pair: the private key from the environment (generated into var/ in the demo),
the public keys published as Multikey in the did:web documents, and the DIDs the site answers for.

Rotation: a new `ESSOR_CREDENTIALS_SIGNING_KEY` signs from then on; the previous public key moves to
`ESSOR_CREDENTIALS_RETIRED_KEYS` so that the credentials it signed still verify (docs/credentials.md)."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
# Multicodec prefixes of the Multikey format (W3C Controlled Identifiers).
ED25519_PUBLIC = b"\xed\x01"
ED25519_PRIVATE = b"\x80\x26"
DEMO_KEY_FILE = "credentials_signing_key"


def base58btc_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    text = ""
    while number:
        number, rest = divmod(number, 58)
        text = BASE58[rest] + text
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + text


def base58btc_decode(text: str) -> bytes:
    number = 0
    for char in text:
        index = BASE58.find(char)
        if index < 0:
            raise ValueError(f"{char!r} is not a base58 character.")
        number = number * 58 + index
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def multibase_decode(value: str, prefix: bytes) -> bytes:
    """The 32 key bytes of a base58btc Multikey value (`z` + base58(prefix + key))."""
    if not value.startswith("z"):
        raise ValueError("A Multikey value starts with 'z' (base58btc).")
    raw = base58btc_decode(value[1:])
    if not raw.startswith(prefix) or len(raw) != len(prefix) + 32:
        raise ValueError("This is not an Ed25519 Multikey value of the expected kind.")
    return raw[len(prefix):]


def public_multibase(public_key: Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return "z" + base58btc_encode(ED25519_PUBLIC + public_key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def private_multibase_new() -> str:
    """A new private key in the format ESSOR_CREDENTIALS_SIGNING_KEY takes."""
    return "z" + base58btc_encode(ED25519_PRIVATE + secrets.token_bytes(32))


def _demo_key(var_dir: Path) -> str:
    """Generated once into var/ (O_EXCL: when the web server and the worker start together, one key wins)."""
    path = var_dir / DEMO_KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(private_multibase_new())
    return path.read_text().strip()


def _configured_key() -> str:
    return settings.CREDENTIALS_SIGNING_KEY or _demo_key(settings.VAR_DIR)


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey
    public_multibase: str


@lru_cache(maxsize=4)
def _signing_key(value: str) -> SigningKey:
    try:
        private = Ed25519PrivateKey.from_private_bytes(multibase_decode(value.strip(), ED25519_PRIVATE))
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"ESSOR_CREDENTIALS_SIGNING_KEY is not a valid Ed25519 private key ({exc}) "
            "Generate one with `python manage.py credentials_key`."
        ) from exc
    return SigningKey(private, public_multibase(private.public_key()))


def signing_key() -> SigningKey:
    return _signing_key(_configured_key())


def signing_key_check() -> None:
    """Raise ImproperlyConfigured for a malformed key or retired key (a missing one is refused by settings)."""
    if settings.CREDENTIALS_SIGNING_KEY:
        _signing_key(settings.CREDENTIALS_SIGNING_KEY)
    for value in settings.CREDENTIALS_RETIRED_KEYS:
        try:
            multibase_decode(value, ED25519_PUBLIC)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"ESSOR_CREDENTIALS_RETIRED_KEYS: {value!r} is not an Ed25519 public key in Multikey form ({exc})"
            ) from exc


def published_keys() -> list[str]:
    """Public keys a verifier may find in the DID documents: the current one first, then the retired ones."""
    current = signing_key().public_multibase
    return [current] + [key for key in settings.CREDENTIALS_RETIRED_KEYS if key != current]


def public_key(multibase: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(multibase_decode(multibase, ED25519_PUBLIC))


# --- did:web ---------------------------------------------------------------------------------------

def site_did() -> str:
    """did:web of ESSOR_SITE_URL: host (port encoded as %3A), then the path segments."""
    url = urlsplit(settings.SITE_URL)
    host = url.hostname or "localhost"
    if url.port:
        host += f"%3A{url.port}"
    return ":".join(["did:web", host, *(quote(part) for part in url.path.strip("/").split("/") if part)])


def issuer_did(intermediary_id: int | None) -> str:
    """The site issues as itself, or on behalf of an intermediary under its own did:web path."""
    return site_did() if intermediary_id is None else f"{site_did()}:issuers:{intermediary_id}"


def verification_method(did: str, multibase: str) -> str:
    return f"{did}#{multibase}"
