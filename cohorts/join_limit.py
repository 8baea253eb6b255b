"""The guess limit on invitation codes, shared by the join page and the API: 20 wrong codes per
connection (and per account when logged in) in a quarter of an hour, counted in the default cache."""
from __future__ import annotations

from django.core.cache import cache

CODE_ATTEMPTS = 20
CODE_WINDOW = 15 * 60


def _keys(*, ip: str, user=None) -> list[str]:
    keys = [f"cohorts:join-code:{ip}"]
    if user is not None and user.is_authenticated:
        keys.append(f"cohorts:join-code:user:{user.pk}")
    return keys


def join_code_blocked(*, ip: str, user=None) -> bool:
    """True when this connection (or account) has used up its wrong guesses."""
    return any(cache.get(key, 0) >= CODE_ATTEMPTS for key in _keys(ip=ip, user=user))


def join_code_failed(*, ip: str, user=None) -> None:
    """Count one wrong code."""
    for key in _keys(ip=ip, user=user):
        if not cache.add(key, 1, CODE_WINDOW):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, CODE_WINDOW)
