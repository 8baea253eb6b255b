"""Every route of the site, read from the URL resolver and the OpenAPI schema, so that the route table
(tests/security/test_route_table.py) can prove it classifies all of them."""
from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver


def url_patterns() -> list[tuple[str, str]]:
    """(qualified name, route) of every URL pattern, e.g. ("coaching:request-detail", "coaching/requests/<int:pk>/")."""
    found: list[tuple[str, str]] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}{entry.namespace}:"
                walk(entry.url_patterns, route, ns)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}{entry.name}" if entry.name else f"{namespace}<unnamed>"
                found.append((name, route))

    walk(get_resolver().url_patterns, "", "")
    return found


def api_operations() -> list[tuple[str, str]]:
    """(METHOD, path) of every operation of the OpenAPI schema, e.g. ("GET", "/api/v1/coaching/requests/{id}/")."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, item in schema["paths"].items():
        for method in item:
            if method in ("get", "post", "put", "patch", "delete"):
                operations.append((method.upper(), path))
    return operations
