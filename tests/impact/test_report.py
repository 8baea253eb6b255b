"""The impact report: one function computes the figures; the page, the PDF (pdftotext), the API and the
CSV show the same numbers; the PDF is written by a Celery task queued through the outbox, with progress."""
from __future__ import annotations

import csv
import io
import re
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
from impact.models import ImpactReport
from impact.selectors.report import impact_report
from tests.coaching.factories import diagnostic_response
from tests.learners.factories import diagnostic

pytestmark = pytest.mark.django_db


@pytest.fixture
def diagnostics(world):
    diagnostic()
    for n, user in enumerate(world["p1"][:4]):
        diagnostic_response(user, {"finance": 20 + n, "volunteers": 40}, at=timezone.now() - timedelta(days=400))
        diagnostic_response(user, {"finance": 60 + n, "volunteers": 50}, at=timezone.now() - timedelta(days=3))
    diagnostic_response(world["p1"][5], {"finance": 10}, at=timezone.now() - timedelta(days=3))  # only one: not counted


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def by_key(report) -> dict:
    return {f.key: f for f in report.figures}


def test_figures_of_an_intermediary(world, intermediary, diagnostics, settings):
    settings.ESSOR_PRO_BONO_HOURLY_VALUE, settings.ESSOR_PRO_BONO_CURRENCY = 80, "EUR"
    f = by_key(impact_report(scope="intermediary", scope_id=intermediary.pk))
    values = {key: fig.value for key, fig in f.items()}
    assert values["reach.cohorts"] == 2 and values["reach.leaders"] == 11 and values["reach.associations"] == 11
    assert values["reach.places"] == 1 and values["reach.countries"] == 1
    assert values["learning.modules_completed"] == 7 and values["learning.certificates"] == 7
    assert values["learning.lessons"] == 6 * 2 + 1 * 2 + 1  # A: 6 × 2 lessons + 1 started; B: 1 × 2 lessons
    assert values["quiz.impact-money.learners"] == 7 and values["quiz.impact-money.passed"] == 7
    assert values["capacity.responses"] == 4
    assert (values["capacity.finance.before"], values["capacity.finance.after"], values["capacity.finance.responses"]) == (22, 62, 4)
    assert (values["capacity.volunteers.before"], values["capacity.volunteers.after"]) == (40, 50)
    assert values["coaching.requested"] == 6 and values["coaching.matched"] == 6 and values["coaching.completed"] == 5
    assert values["coaching.hours"] == 11.0 and values["coaching.value"] == 880 and f["coaching.value"].unit == "EUR"
    assert values["coaching.rating"] == 5.0
    report = impact_report(scope="intermediary", scope_id=intermediary.pk)
    assert len(report.stories) == 5 and "Private words" not in report.stories  # no consent, not quoted
    assert any("no comparison group" in note for note in report.as_dict()["method_notes"])


def test_a_network_report_withholds_small_figures(network, world):
    f = by_key(impact_report(scope="network", scope_id=network.pk))
    assert f["reach.leaders"].value == 17
    assert f["coaching.completed"].value == 5
    assert f["coaching.matched"].value == 6
    assert f["capacity.responses"].value is None and f["capacity.responses"].display == "< 5"
    assert f["capacity.responses"].counts_its_people


def test_a_withheld_figure_says_what_is_small():
    """"< 5" where the figure counts the people behind it; an average or hours withheld for want of people
    are not themselves below 5."""
    from impact.selectors.report import Figure

    count = Figure(key="a", label="A", value=None, n=3, withheld=True, counts_its_people=True)
    average = Figure(key="b", label="B", value=None, n=3, unit="/ 100", withheld=True)
    assert (count.display, average.display, Figure(key="c", label="C", value=None).display) == ("< 5", "— (n < 5)", "—")


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_page_pdf_api_and_csv_give_the_same_numbers(world, intermediary, diagnostics, client_as, api_as, var_dir,
                                                   django_capture_on_commit_callbacks):
    staff_user = intermediary.memberships.first().user
    client = client_as(staff_user)
    url = reverse("impact:report", args=["intermediary", intermediary.pk])
    report = impact_report(scope="intermediary", scope_id=intermediary.pk, language="en")
    expected = {f.key: f for f in report.figures}
    assert len(expected) > 20

    page = client.get(url).content.decode()
    page_values = dict(re.findall(r'data-key="([^"]+)"[^>]*>([^<]*)<', page))
    assert page_values == {key: f.display for key, f in expected.items()}
    assert page.count("<svg") >= 2

    api = api_as(staff_user).get(reverse("api:impact-report", args=["intermediary", intermediary.pk])).json()
    assert {row["key"]: (row["value"], row["display"]) for row in api["figures"]} == {
        key: (f.value, f.display) for key, f in expected.items()}

    response = client.get(url, {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row["key"]: row["value"] for row in rows} == {key: str(f.value) for key, f in expected.items()}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"start": report.period.start.isoformat(), "end": report.period.end.isoformat()})
    pdf = ImpactReport.objects.get()
    assert response.url == reverse("impact:report-pdf", args=[pdf.pk])
    assert OutboxMessage.objects.filter(key=f"impact-report-pdf:{pdf.pk}").exists()
    pdf.refresh_from_db()
    assert pdf.status == "done" and pdf.progress == 100, pdf.error
    text = pdf_text(var_dir / "reports" / pdf.file_path)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    for key, f in expected.items():
        label = " ".join(f.label.split())[:30]
        assert any(label in line and line.rstrip().endswith(f.display) or (label in line and f" {f.display} " in f"{line} ")
                   for line in lines), (key, f.label, f.display)
    assert "Method notes" in text and "no comparison group" in " ".join(lines)
    status = client.get(reverse("impact:report-pdf", args=[pdf.pk]))
    assert b"Download the PDF" in status.content
    download = client.get(reverse("impact:report-pdf-download", args=[pdf.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    api_status = api_as(staff_user).get(reverse("api:impact-report-pdf", args=[pdf.pk])).json()
    assert api_status["status"] == "done" and api_status["progress"] == 100


@pytest.mark.parametrize("language", ["fr", "zh-hans"])
def test_the_pdf_in_french_and_chinese(world, intermediary, var_dir, language):
    from impact.selectors.overview import Period
    from impact.services import impact_report_pdf_render

    period = Period.default()
    pdf = ImpactReport.objects.create(scope="intermediary", scope_id=intermediary.pk, period_start=period.start,
                                      period_end=period.end, language=language)
    impact_report_pdf_render(report_id=pdf.pk)
    pdf.refresh_from_db()
    text = pdf_text(var_dir / "reports" / pdf.file_path)
    assert {"fr": "Rapport d", "zh-hans": "影响"}[language] in text


def test_permissions(world, intermediary, client_as, api_as, network, learner):
    url = reverse("impact:report", args=["intermediary", intermediary.pk])
    assert client_as(world["other_staff"]).get(url).status_code == 404
    assert client_as(network.manager).get(url).status_code == 404
    assert client_as(learner).get(reverse("impact:report", args=["cohort", world["c1"].pk])).status_code == 404
    staff_client = client_as(intermediary.memberships.first().user)
    assert staff_client.get(reverse("impact:report", args=["cohort", world["c1"].pk])).status_code == 200
    assert client_as(network.manager).get(reverse("impact:report", args=["nothing", 1])).status_code == 404
    assert api_as(world["other_staff"]).get(reverse("api:impact-report", args=["intermediary", intermediary.pk])).status_code == 404
