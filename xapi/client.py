"""A minimal xAPI client (PUT /statements?statementId=…): the standard library is enough for one call."""
from __future__ import annotations

import base64
import json
import logging
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)


class LrsError(Exception):
    pass


def _request(method: str, path: str, *, query: dict | None = None, body: dict | None = None):
    if not settings.XAPI_LRS_URL:  # turned off with statements still owed: they wait in the outbox
        raise LrsError("XAPI_LRS_URL is not set")
    url = settings.XAPI_LRS_URL.rstrip("/") + path + ("?" + urllib.parse.urlencode(query) if query else "")
    headers = {"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}
    if settings.XAPI_LRS_USERNAME:
        token = base64.b64encode(f"{settings.XAPI_LRS_USERNAME}:{settings.XAPI_LRS_PASSWORD}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310 - the URL is the site's setting
    return urllib.request.urlopen(req, timeout=settings.XAPI_LRS_TIMEOUT)  # noqa: S310


def statement_put(statement: dict) -> None:
    """Store the statement under its own id. Sending it again is harmless: the LRS answers 204 for the
    same statement, 409 if another one has that id (logged, not retried: nothing better would come)."""
    try:
        with _request("PUT", "/statements", query={"statementId": statement["id"]}, body=statement) as response:
            if response.status not in (200, 204):
                raise LrsError(f"LRS answered {response.status}")
    except urllib.error.HTTPError as error:
        if error.code == 409:
            logger.warning("xAPI statement %s conflicts with one already in the LRS", statement["id"])
            return
        raise LrsError(f"LRS answered {error.code}") from error
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise LrsError(f"LRS unreachable: {error}") from error


def statement_get(statement_id: str) -> dict | None:
    try:
        with _request("GET", "/statements", query={"statementId": statement_id}) as response:
            data = json.loads(response.read())
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise
    if isinstance(data, dict) and "statements" in data:  # Ralph answers with a list
        return data["statements"][0] if data["statements"] else None
    return data
