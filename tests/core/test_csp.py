"""Content-Security-Policy on every response, no inline script anywhere, and the /csp-report/ endpoint."""
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent.parent
pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/api/docs/", "/admin/login/", "/does-not-exist/"])
def test_every_page_has_a_strict_policy(client, url):
    directives = policy(client.get(url))
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    assert directives["object-src"] == "object-src 'none'"
    assert directives["form-action"] == "form-action 'self'"
    assert "base-uri" in directives and "report-uri" in directives


def test_the_policy_is_on_in_production_mode_too():
    from django.conf import settings

    assert "csp.middleware.CSPMiddleware" in settings.MIDDLEWARE
    source = (ROOT / "config" / "settings.py").read_text()
    assert "CONTENT_SECURITY_POLICY" in source and "CONTENT_SECURITY_POLICY" not in (ROOT / "config" / "settings_test.py").read_text()


def _templates() -> list[Path]:
    return [path for path in ROOT.glob("**/templates/**/*.html")
            if not any(part in {".venv", "staticfiles", "var", "node_modules"} for part in path.parts)]


def test_no_template_has_an_inline_script_an_event_handler_or_a_javascript_url():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    handler = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
    offenders = []
    for path in _templates():
        text = path.read_text()
        # A JSON data block (type="application/json") is not run by the browser.
        scripts = [m for m in inline_script.findall(text) if "application/json" not in m]
        if scripts or handler.search(text) or "javascript:" in text.lower():
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_api_docs_load_no_inline_script_and_nothing_from_outside(client):
    assert client.get("/api/redoc/")["Location"] == "/api/docs/"
    for url in ("/api/docs/", "/api/docs/?script="):
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "https://" not in html, url


def report(client, body: dict | str, content_type="application/csp-report", **extra):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(reverse("core:csp-report"), data=data, content_type=content_type, **extra)


VIOLATION = {"csp-report": {"document-uri": "http://127.0.0.1/", "violated-directive": "script-src-elem",
                            "effective-directive": "script-src-elem", "blocked-uri": "inline"}}


def test_a_report_is_logged_and_counted(client, caplog):
    from core.views import csp_reports_count

    before = csp_reports_count()
    with caplog.at_level("WARNING", logger="essor.csp"):
        assert report(client, VIOLATION).status_code == 204
    assert csp_reports_count() == before + 1
    assert "script-src-elem" in caplog.text and "inline" in caplog.text
    # The newer Reporting API's format is understood too.
    body = [{"type": "csp-violation", "body": {"documentURL": "http://127.0.0.1/", "effectiveDirective": "img-src",
                                              "blockedURL": "https://tracker.example/x.gif"}}]
    assert report(client, body, content_type="application/reports+json").status_code == 204
    assert csp_reports_count() == before + 2


def test_reports_are_size_limited_and_bad_bodies_are_refused_without_an_error(client):
    assert report(client, {"csp-report": {"blocked-uri": "x" * 20000}}).status_code == 413
    assert report(client, "not json").status_code == 400
    assert report(client, [1, 2]).status_code == 400
    assert client.get(reverse("core:csp-report")).status_code == 405


def test_reports_are_rate_limited_per_client(client, settings):
    settings.ESSOR_CSP_REPORTS_PER_MINUTE = 3
    statuses = [report(client, VIOLATION).status_code for _ in range(5)]
    assert statuses == [204, 204, 204, 429, 429]
