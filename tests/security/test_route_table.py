"""Issue 10: who sees what on every route. Every URL pattern (from the resolver) and every API operation
(from the OpenAPI schema) has a row in routes.py; each row is played for every identity, writes with
CSRF on; a route without a row fails the coverage test, which prints the row it suggests."""
import os

import pytest
from django.urls import reverse

from . import routes
from .guess import kwarg_names, page_methods, spec_for
from .inventory import api_operations, url_patterns
from .runner import WRITES, Row, identities, outcome, parse, url_of
from .world import IDENTITIES, world_build

PAGE_ROWS = parse(routes.PAGES)
API_ROWS = parse(routes.API)
REFUSED = {"L", "401", "403", "404", "405"}


def _page_patterns():
    return [(name, route) for name, route in url_patterns()
            if not name.startswith("admin:") and not route.startswith("api/v1/")]


def _missing_pages() -> list[tuple[str, str, str]]:
    """(name, route, method) of the page routes without a row."""
    have = {(row.key, row.method) for row in PAGE_ROWS}
    missing = []
    for name, route in _page_patterns():
        if name in routes.NOT_PLAYED:
            continue
        for method in page_methods(name):
            if (name, method) not in have:
                missing.append((name, route, method))
    return missing


def _missing_api() -> list[tuple[str, str]]:
    have = {(row.key, row.method) for row in API_ROWS}
    return [(method, path) for method, path in api_operations() if (path, method) not in have]


def _suggest(world, players) -> str:
    lines = []
    for name, route, method in _missing_pages():
        row = Row(key=name, kwargs={}, method=method, expected=[], line=0)
        spec = spec_for(route, kwarg_names(route))
        row = parse(f"{name} {spec} {method} " + " ".join(["?"] * len(IDENTITIES)))[0]
        lines.append(_played_line(row, world, players))
    for method, path in _missing_api():
        spec = spec_for(path, kwarg_names(path))
        row = parse(f"{path} {spec} {method} " + " ".join(["?"] * len(IDENTITIES)))[0]
        lines.append(_played_line(row, world, players))
    return "\n".join(lines)


def _play(row, world, players) -> list[str]:
    url = url_of(row, world)
    return [outcome(players[name].request(row.method, url, api=row.is_api)) for name in IDENTITIES]


def _played_line(row, world, players) -> str:
    try:
        cells = _play(row, world, players)
    except Exception as error:  # a kwarg the guess got wrong: say so in the suggestion
        cells = [f"ERR:{type(error).__name__}"] * len(IDENTITIES)
    spec = ",".join(f"{k}={v}" for k, v in row.kwargs.items()) or "-"
    return f"{row.key:<58} {spec:<44} {row.method:<6} " + " ".join(f"{c:<4}" for c in cells)


def test_every_url_pattern_and_api_operation_is_in_the_table():
    api_paths = {path for _method, path in api_operations()}
    unmatched = []
    for name, route in url_patterns():
        if route.startswith("api/v1/"):
            path = "/" + route
            for kwarg in kwarg_names(route):
                path = path.replace(f"<id:{kwarg}>", "{id}" if kwarg == "pk" else "{%s}" % kwarg)
                path = path.replace(f"<slug:{kwarg}>", "{%s}" % kwarg).replace(f"<str:{kwarg}>", "{%s}" % kwarg)
            if path not in api_paths and path != "/api/v1/":
                unmatched.append((name, path))
    assert not unmatched, f"API URL patterns missing from the OpenAPI schema: {unmatched}"
    missing_pages, missing_api = _missing_pages(), _missing_api()
    assert not missing_pages and not missing_api, (
        "Routes without a row in tests/security/routes.py (run ROUTE_TABLE_SUGGEST=1 pytest -s "
        f"tests/security/test_route_table.py to print suggested rows):\n{missing_pages}\n{missing_api}")
    stale = [row.key for row in PAGE_ROWS if row.key not in {n for n, _r in url_patterns()}]
    stale += [row.key for row in API_ROWS if row.key not in api_paths]
    assert not stale, f"Rows of routes that no longer exist: {stale}"


@pytest.mark.django_db
def test_every_identity_gets_the_expected_outcome_on_every_route(capsys):
    world = world_build()
    players = identities(world)
    if os.environ.get("ROUTE_TABLE_SUGGEST"):
        with capsys.disabled():
            print("\n" + _suggest(world, players))
    mismatches, checks, csrf_checks = [], 0, 0
    only = os.environ.get("ROUTE_TABLE_ONLY")  # a part of a route's name or path: play only those rows
    for row in PAGE_ROWS + API_ROWS:
        if only and only not in row.key:
            continue
        url = url_of(row, world)
        actual = []
        for name, expected in zip(IDENTITIES, row.expected, strict=True):
            got = outcome(players[name].request(row.method, url, api=row.is_api))
            actual.append(got)
            checks += 1
            if got != expected:
                mismatches.append(f"line {row.line} {row.method} {row.key} as {name}: expected {expected}, got {got}")
        if row.method in WRITES:
            # The first identity let through, replayed without its CSRF token, is refused.
            allowed = [name for name, cell in zip(IDENTITIES, row.expected, strict=True)
                       if cell not in REFUSED and name != "anon"]
            if allowed:
                got = players[allowed[0]].request(row.method, url, api=row.is_api, csrf=False).status_code
                csrf_checks += 1
                if got != 403:
                    mismatches.append(f"line {row.line} {row.method} {row.key} as {allowed[0]} without CSRF token: got {got}")
    for name in routes.ADMIN_SAMPLES:
        for identity, expected in zip(IDENTITIES, routes.ADMIN_EXPECTED, strict=True):
            got = outcome(players[identity].request("GET", reverse(name), api=False))
            checks += 1
            if got != expected:
                mismatches.append(f"{name} as {identity}: expected {expected}, got {got}")
    patterns = url_patterns()
    summary = (f"route table: {len(patterns)} URL patterns ({sum(1 for n, _ in patterns if n.startswith('admin:'))} admin), "
               f"{len(api_operations())} API operations, {len(PAGE_ROWS)} page rows, {len(API_ROWS)} API rows, "
               f"{len(IDENTITIES)} identities, {checks} checks + {csrf_checks} CSRF checks")
    with capsys.disabled():
        print("\n" + summary)
    assert not mismatches, "\n".join(mismatches)
