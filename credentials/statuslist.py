"""Bitstring Status List v1.0: the revocation bits of one issuer's credentials, GZIP-compressed and
multibase base64url-encoded. Index 0 is the left-most bit of the first byte."""
from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable

LENGTH = 131_072  # the specification's minimum: 16 KB, so that one bit does not single out a holder


def encode(revoked: Iterable[int], length: int = LENGTH) -> str:
    bits = bytearray(length // 8)
    for index in revoked:
        if not 0 <= index < length:
            raise ValueError(f"Status index {index} is outside the list.")
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same bits always give the same string (and the same cached, signed list).
    compressed = gzip.compress(bytes(bits), compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("An encoded status list is multibase base64url (starts with 'u').")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def is_set(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise ValueError(f"Status index {index} is outside the list.")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
