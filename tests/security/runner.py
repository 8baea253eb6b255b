"""Reads the route table (routes.py), resolves each row's URL from the world, and plays each cell: one
request as one identity, with CSRF checks on, inside a transaction that is rolled back so that a write
in one cell never changes the world of the next."""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import reverse

from .world import IDENTITIES, KWARGS

REDIRECTS = {301, 302, 303, 307, 308}
_MULTIPART = "multipart/form-data; boundary=BoUnDaRy"
_EMPTY_MULTIPART = "--BoUnDaRy--\r\n"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass
class Row:
    key: str          # a URL name ("coaching:request-detail") or an API path ("/api/v1/coaching/requests/{id}/")
    kwargs: dict      # URL kwarg -> world token or 'literal'
    method: str
    expected: list[str]
    line: int

    @property
    def is_api(self) -> bool:
        return self.key.startswith("/")


def parse(table: str) -> list[Row]:
    rows = []
    for number, raw in enumerate(table.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        key, spec, method, cells = parts[0], parts[1], parts[2], parts[3:]
        assert len(cells) == len(IDENTITIES), f"line {number}: {len(cells)} cells for {len(IDENTITIES)} identities: {raw}"
        kwargs = {}
        if spec != "-":
            for item in spec.split(","):
                name, value = item.split("=")
                kwargs[name] = value
        rows.append(Row(key=key, kwargs=kwargs, method=method, expected=cells, line=number))
    return rows


def resolve_kwargs(row: Row, world) -> dict:
    values = {}
    for name, token in row.kwargs.items():
        values[name] = token.strip("'") if token.startswith("'") else KWARGS[token](world)
    return values


def url_of(row: Row, world) -> str:
    kwargs = resolve_kwargs(row, world)
    if row.is_api:
        return re.sub(r"\{(\w+)\}", lambda m: str(kwargs[m.group(1)]), row.key)
    return reverse(row.key, kwargs=kwargs)


def outcome(response) -> str:
    """The status code, or L for a redirect to a log-in page, R for another redirect."""
    if response.status_code in REDIRECTS:
        return "L" if "/login/" in response["Location"] else "R"
    return str(response.status_code)


class Identity:
    """A browser of one identity: a session (none for anon) and a real CSRF token in its cookie."""

    def __init__(self, user):
        self.client = Client(enforce_csrf_checks=True)
        if user is not None:
            self.client.force_login(user)
        self.token = _get_new_csrf_string()
        self.client.cookies[settings.CSRF_COOKIE_NAME] = self.token

    def request(self, method: str, url: str, *, api: bool, csrf: bool = True):
        headers = {"HTTP_X_CSRFTOKEN": self.token} if csrf else {}
        saved = self.client.cookies
        self.client.cookies = type(saved)(saved)  # a log-out or a language switch must not stick
        cache.clear()  # rate limits count per test cell, not across the table
        try:
            with transaction.atomic():
                if method == "GET":
                    response = self.client.get(url, **headers)
                elif api:
                    response = self.client.generic(method, url, "{}", content_type="application/json", **headers)
                    if response.status_code == 415:  # an upload endpoint: an empty multipart form instead
                        response = self.client.generic(method, url, _EMPTY_MULTIPART, content_type=_MULTIPART, **headers)
                else:
                    response = self.client.generic(method, url, "", content_type="application/x-www-form-urlencoded", **headers)
                transaction.set_rollback(True)
        finally:
            self.client.cookies = saved
        return response


def identities(world) -> dict[str, Identity]:
    return {name: Identity(None if name == "anon" else getattr(world, name)) for name in IDENTITIES}
