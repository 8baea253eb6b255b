"""Suggests the row of a route the table does not classify yet: the world objects its kwargs most
likely name, and the methods its view answers. The suggestion is printed with the outcomes seen, to
be checked by a person and pasted into routes.py."""
from __future__ import annotations

import re

from django.urls import get_resolver

# kwarg name -> world token, by URL prefix (first match wins), then whatever the prefix.
BY_PREFIX = [
    ("coaching/requests/<int:pk>/", {"pk": "request"}),
    ("coaching/requests/", {"pk": "open_request"}),
    ("coaching/proposals/", {"pk": "proposal"}),
    ("coaching/missions/", {"pk": "mission"}),
    ("coaching/coaches/", {"pk": "coach_b_profile"}),
    ("coaching/cohorts/", {"pk": "cohort"}),
    ("learn/", {"pk": "attempt", "key": "'budget'", "extension": "'xlsx'"}),
    ("/api/v1/coaching/requests/{id}/", {"id": "open_request"}),
    ("/api/v1/coaching/proposals/", {"id": "proposal"}),
    ("/api/v1/coaching/missions/", {"id": "mission"}),
    ("/api/v1/coaching/coaches/", {"id": "coach_b_profile"}),
    ("/api/v1/cohorts/", {"id": "cohort"}),
    ("/api/v1/enrollments/", {"id": "enrollment"}),
    ("/api/v1/quiz-attempts/", {"id": "attempt"}),
    ("/api/v1/diagnostic/", {"id": "diagnostic"}),
    ("/api/v1/lessons/", {"id": "lesson_id"}),
    ("/api/v1/questions/", {"id": "question_id"}),
]
ANY = {"pk": "cohort", "user_id": "learner_a", "module_id": "module_id", "invitation_id": "invitation",
       "import_id": "import", "export_id": "export", "membership_id": "membership", "token": "token", "slug": "module",
       "lesson": "lesson", "language": "'fr'", "key": "question", "action": "'submit'", "module": "module",
       "code": "certificate", "intermediary_id": "intermediary", "status_list": "'1'", "uidb64": "'MQ'",
       "path": "'nothing.png'"}


def spec_for(route: str, names: list[str]) -> str:
    if "uidb64" in names:
        return "uidb64='MQ',token='bad-token'"
    chosen = {}
    for name in names:
        for prefix, mapping in BY_PREFIX:
            if route.startswith(prefix) and name in mapping:
                chosen[name] = mapping[name]
                break
        else:
            chosen[name] = ANY.get(name, "'x'")
    return ",".join(f"{k}={v}" for k, v in chosen.items()) or "-"


def kwarg_names(route: str) -> list[str]:
    if route.startswith("/api/"):
        return re.findall(r"\{(\w+)\}", route)
    return re.findall(r"<(?:\w+:)?(\w+)>", route) + re.findall(r"\(\?P<(\w+)>", route)


def page_methods(name: str) -> list[str]:
    """The methods a page's view answers (GET first), from the resolved view."""
    func = None
    for pattern_name, entry in _named_patterns():
        if pattern_name == name:
            func = entry.callback
            break
    view_class = getattr(func, "view_class", None)
    if view_class is None:
        return ["GET"]
    from django.views.generic import RedirectView

    if issubclass(view_class, RedirectView):
        return ["GET"]
    allowed = [m.upper() for m in view_class.http_method_names if m in ("get", "post", "put", "patch", "delete")
               and hasattr(view_class, m)]
    return sorted(allowed, key=["GET", "POST", "PUT", "PATCH", "DELETE"].index)


def _named_patterns():
    from django.urls import URLPattern, URLResolver

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
            elif isinstance(entry, URLPattern):
                yield (f"{namespace}{entry.name}" if entry.name else f"{namespace}<unnamed>"), entry

    yield from walk(get_resolver().url_patterns, "")
