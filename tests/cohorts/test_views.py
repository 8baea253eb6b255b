"""Cohort pages, one happy path each: create, dashboard, drill-downs, invitations and the CSV dry run,
joining (new account, logged in, by code), leaving, exports with their progress page, reminders."""
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from cohorts.models import Cohort, CohortExport, CohortInvitation, CohortMembership
from learners.models import Enrollment
from tests.factories import UserFactory

from .factories import link, member, seeded_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def test_staff_create_a_cohort_from_the_form(en, staff, module_a, module_b):
    en.force_login(staff)
    page = en.get(reverse("cohorts:create")).content.decode()
    assert "money-basics" in page and "volunteers" in page
    response = en.post(reverse("cohorts:create"), {
        "intermediary": staff.staff_memberships.get().intermediary_id, "name": "Promotion Lyon", "language": "fr",
        "stalled_after_days": 10, "facilitators": [staff.pk],
        f"module_{module_b.pk}_position": 1, f"module_{module_b.pk}_target": "2026-06-30", f"module_{module_a.pk}_position": 2,
    })
    cohort = Cohort.objects.get(name="Promotion Lyon")
    assert response.status_code == 302 and response["Location"] == reverse("cohorts:invitations", kwargs={"pk": cohort.pk})
    assert list(cohort.cohort_modules.values_list("module__slug", flat=True)) == ["volunteers", "money-basics"]
    assert cohort.stalled_after_days == 10


def test_the_form_says_how_to_fix_a_cohort_without_modules(en, staff, module_a):
    en.force_login(staff)
    response = en.post(reverse("cohorts:create"), {"intermediary": staff.staff_memberships.get().intermediary_id, "name": "x",
                                                   "language": "fr", "stalled_after_days": 14})
    assert response.status_code == 200
    assert "Choose at least one module for the cohort." in response.content.decode()


def test_the_list_shows_staff_cohorts_and_a_learners_own_cohorts(en, staff, cohort):
    en.force_login(staff)
    assert cohort.name in en.get("/cohorts/").content.decode()
    learner = member(cohort)
    en.force_login(learner)
    html = en.get("/cohorts/").content.decode()
    assert cohort.name in html and "see your progress in this cohort's modules" in html


def test_the_dashboard_shows_figures_matrix_charts_and_filters(en, staff, module_a, module_b):
    cohort, people = seeded_cohort(staff, module_a, module_b)
    en.force_login(staff)
    html = en.get(f"/cohorts/{cohort.pk}/").content.decode()
    assert 'data-figure="learners">6<' in html and 'data-figure="certificates">3<' in html
    assert html.count('class="chart"') == 2 and "status-chart-stripes" in html and "<title" in html  # status + diagnostic
    assert 'data-slot="coaching"' in html
    assert "Learner F" not in html
    stalled = en.get(f"/cohorts/{cohort.pk}/?status=stalled").content.decode()
    assert "Learner C" in stalled and "Learner B" not in stalled
    assert "Learner E" in en.get(f"/cohorts/{cohort.pk}/?q=association+e").content.decode()
    assert en.get(f"/cohorts/{cohort.pk}/?sort=percent&dir=desc&page=99&days=x").status_code == 200


def test_the_matrix_is_paginated(en, staff, cohort):
    for _ in range(55):
        member(cohort)
    en.force_login(staff)
    first = en.get(f"/cohorts/{cohort.pk}/").content.decode()
    assert first.count('data-learner="') == 50 and "Page 1 of 2" in first
    assert en.get(f"/cohorts/{cohort.pk}/?page=2").content.decode().count('data-learner="') == 5


def test_learner_and_module_drill_downs(en, staff, module_a, module_b):
    cohort, people = seeded_cohort(staff, module_a, module_b)
    en.force_login(staff)
    html = en.get(f"/cohorts/{cohort.pk}/learners/{people['D'].pk}/").content.decode()
    assert "Quiz attempts" in html and "outside-module" not in html
    report = en.get(f"/cohorts/{cohort.pk}/modules/{module_a.pk}/").content.decode()
    assert "dropoff-chart" in report and "questions-chart" in report


def test_invitation_link_and_code_are_created_and_withdrawn(en, staff, cohort):
    en.force_login(staff)
    en.post(f"/cohorts/{cohort.pk}/invitations/", {"label": "Soirée", "max_uses": 30, "expires_on": "2099-01-01"})
    invitation = cohort.invitations.get()
    html = en.get(f"/cohorts/{cohort.pk}/invitations/").content.decode()
    assert invitation.code_display in html and f"/cohorts/join/{invitation.token}/" in html
    en.post(f"/cohorts/{cohort.pk}/invitations/{invitation.pk}/revoke/")
    invitation.refresh_from_db()
    assert invitation.state() == "revoked"


def test_csv_dry_run_page_then_confirmation(en, staff, cohort, django_capture_on_commit_callbacks):
    en.force_login(staff)
    upload = SimpleUploadedFile("list.csv", b"email,name\nok@example.org,Ok\nbad,Bad\nok@example.org,Twice\n")
    response = en.post(f"/cohorts/{cohort.pk}/invitations/csv/", {"file": upload, "encoding": "utf-8"})
    assert response.status_code == 302
    html = en.get(response["Location"]).content.decode()
    assert 'data-line="3" data-action="error" data-error="invalid_email"' in html
    assert 'data-line="4" data-action="error" data-error="duplicate"' in html
    assert "Send 1 invitation" in html and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        en.post(response["Location"])
    assert [m.to for m in mail.outbox] == [["ok@example.org"]]


def test_a_bad_csv_file_is_explained_on_the_page(en, staff, cohort):
    en.force_login(staff)
    upload = SimpleUploadedFile("list.csv", "邮箱\nwang@example.cn\n".encode("gb18030"))
    response = en.post(f"/cohorts/{cohort.pk}/invitations/csv/", {"file": upload, "encoding": "utf-8"})
    assert response.status_code == 200 and "CSV UTF-8" in response.content.decode()


def test_an_invitee_joins_with_a_new_account_and_is_told_who_sees_their_progress(en, cohort, module_a, staff):
    invitation = link(cohort)
    page = en.get(f"/cohorts/join/{invitation.token}/").content.decode()
    assert "data-consent" in page and staff.display_name in page and "see your progress" in page
    response = en.post(f"/cohorts/join/{invitation.token}/", {
        "display_name": "Léa Martin", "email": "lea@example.org", "password": "a-Long-passw0rd-ok", "preferred_language": "fr",
        "association_name": "Jardins du Rhône", "association_country": "FR", "association_city": "Lyon"})
    assert response.status_code == 302
    user = User.objects.get(email="lea@example.org")
    assert CohortMembership.objects.filter(cohort=cohort, user=user).exists()
    assert Enrollment.objects.filter(user=user, module=module_a).exists()
    assert int(en.session["_auth_user_id"]) == user.pk
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("facilitators now see your progress" in m for m in messages)


def test_a_personal_invitation_prefills_and_locks_the_email(en, cohort):
    invitation = CohortInvitation.objects.create(cohort=cohort, kind="personal", email="wang@example.cn", display_name="王芳",
                                                 association_name="阳光社区", language="zh-hans", max_uses=1)
    html = en.get(f"/cohorts/join/{invitation.token}/").content.decode()
    assert 'value="wang@example.cn"' in html and "disabled" in html and "阳光社区" in html
    en.post(f"/cohorts/join/{invitation.token}/", {"display_name": "王芳", "email": "other@example.org", "password": "a-Long-passw0rd-ok",
                                                   "preferred_language": "zh-hans"})
    assert User.objects.get(email="wang@example.cn").association.name == "阳光社区"
    assert invitation.state() == "open" and CohortInvitation.objects.get(pk=invitation.pk).state() == "used_up"


def test_an_existing_account_logs_in_then_joins(en, cohort):
    user = UserFactory()
    invitation = CohortInvitation.objects.create(cohort=cohort, kind="personal", email=user.email, max_uses=1)
    html = en.get(f"/cohorts/join/{invitation.token}/").content.decode()
    assert "Log in to join" in html
    en.force_login(user)
    assert "Join this cohort" in en.get(f"/cohorts/join/{invitation.token}/").content.decode()
    en.post(f"/cohorts/join/{invitation.token}/")
    assert CohortMembership.objects.filter(cohort=cohort, user=user).exists()


def test_join_by_code_and_wrong_codes(en, cohort, learner):
    invitation = link(cohort)
    response = en.post("/cohorts/join/", {"code": invitation.code_display.lower()})
    assert response["Location"] == f"/cohorts/join/{invitation.token}/"
    wrong = en.post("/cohorts/join/", {"code": "AAAA-AAAA"})
    assert wrong.status_code == 200 and "No cohort has this code" in wrong.content.decode()


def test_a_closed_invitation_says_so(en, cohort, learner):
    invitation = link(cohort)
    invitation.revoked_at = invitation.created_at
    invitation.save()
    en.force_login(learner)
    assert "has been withdrawn" in en.get(f"/cohorts/join/{invitation.token}/").content.decode()
    en.post(f"/cohorts/join/{invitation.token}/")
    assert not CohortMembership.objects.filter(user=learner).exists()


def test_a_learner_leaves_and_keeps_progress(en, cohort, module_a):
    from learners.services import lesson_progress_record

    user = member(cohort)
    lesson_progress_record(user=user, lesson=module_a.lessons.first())
    en.force_login(user)
    membership = CohortMembership.objects.get(user=user)
    en.post(f"/cohorts/mine/{membership.pk}/leave/")
    membership.refresh_from_db()
    assert membership.status == "left"
    assert Enrollment.objects.get(user=user, module=module_a).lessons_done == 1


def test_export_page_progress_json_and_download(en, staff, cohort, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.VAR_DIR = tmp_path
    member(cohort, display_name="Léa")
    en.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = en.post(f"/cohorts/{cohort.pk}/exports/", {"format": "csv"})
    export = CohortExport.objects.get()
    assert response["Location"] == f"/cohorts/{cohort.pk}/exports/{export.pk}/"
    page = en.get(response["Location"]).content.decode()
    assert 'role="progressbar"' in page and 'aria-valuenow="100"' in page and "data-download" in page
    status = en.get(f"/cohorts/{cohort.pk}/exports/{export.pk}/status/").json()
    assert status["finished"] and status["progress"] == 100 and status["download_url"]
    download = en.get(status["download_url"])
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert "Léa" in b"".join(download.streaming_content).decode("utf-8-sig")


def test_a_pending_export_page_refreshes_itself_without_javascript(en, staff, cohort):
    export = CohortExport.objects.create(cohort=cohort, format="xlsx")
    en.force_login(staff)
    html = en.get(f"/cohorts/{cohort.pk}/exports/{export.pk}/").content.decode()
    assert re.search(r'<noscript><meta http-equiv="refresh" content="2"></noscript>', html)
    assert 'aria-valuenow="0"' in html and "data-download" not in html
    assert en.get(f"/cohorts/{cohort.pk}/exports/{export.pk}/download/").status_code == 410


def test_staff_send_reminders_from_the_matrix(en, staff, cohort, django_capture_on_commit_callbacks):
    user = member(cohort)
    en.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = en.post(f"/cohorts/{cohort.pk}/reminders/", {"learners": [user.pk], "next": f"/cohorts/{cohort.pk}/?status=stalled"})
    assert response["Location"] == f"/cohorts/{cohort.pk}/?status=stalled"
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert user.display_name in en.get(f"/cohorts/{cohort.pk}/reminders/").content.decode()
    response = en.post(f"/cohorts/{cohort.pk}/reminders/", {"next": "https://evil.example/"})
    assert response["Location"] == f"/cohorts/{cohort.pk}/"


def test_staff_remove_a_learner(en, staff, cohort):
    user = member(cohort)
    en.force_login(staff)
    en.post(f"/cohorts/{cohort.pk}/learners/{user.pk}/remove/")
    assert CohortMembership.objects.get(user=user).status == "left"
    assert en.get(f"/cohorts/{cohort.pk}/learners/{user.pk}/").status_code == 404


def test_pages_load_nothing_from_another_host(en, staff, cohort):
    en.force_login(staff)
    for url in [f"/cohorts/{cohort.pk}/", f"/cohorts/{cohort.pk}/invitations/", f"/cohorts/{cohort.pk}/exports/", "/cohorts/new/"]:
        html = en.get(url).content.decode()
        assert re.findall(r'(?:src|href)="((?:https?:)?//[^"]+)"', html) == [], url


def test_the_navigation_links_to_the_cohorts_for_staff(en, staff):
    en.force_login(staff)
    assert 'href="/cohorts/"' in en.get("/").content.decode()


def test_the_matrix_escapes_what_learners_typed(en, staff, module_a, module_b):
    """The matrix rows are built in Python (cohorts_tags.matrix_rows): names and associations stay text."""
    cohort, people = seeded_cohort(staff, module_a, module_b)
    people["A"].display_name = '<img src=x onerror="alert(1)">Ana'
    people["A"].save(update_fields=["display_name"])
    people["A"].association.name = "<b>Asso</b> & co"
    people["A"].association.save(update_fields=["name"])
    en.force_login(staff)
    page = en.get(reverse("cohorts:dashboard", kwargs={"pk": cohort.pk})).content.decode()
    assert "<img src=x" not in page and "<b>Asso</b>" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Ana" in page
    assert "&lt;b&gt;Asso&lt;/b&gt; &amp; co" in page
    assert 'Select &lt;img src=x onerror=&quot;alert(1)&quot;&gt;Ana' in page


def test_the_header_names_the_facilitators_and_the_matrix_dates_each_last_activity(en, staff, module_a, module_b):
    """The header reads the facilitators' names alone (Cohort.facilitator_names); the matrix writes each
    learner's last activity as a <time> in the site's zone, its short date formatted once per day."""
    from datetime import datetime

    from django.utils import formats, timezone

    from learners.models import Enrollment

    cohort, people = seeded_cohort(staff, module_a, module_b)
    second = UserFactory(display_name="Zhang <Wei>")
    cohort.facilitators.add(second)
    en.force_login(staff)
    page = en.get(reverse("cohorts:dashboard", kwargs={"pk": cohort.pk})).content.decode()
    header = page[page.index('<p class="cohort-meta'):]
    header = header[:header.index("</p>")]
    assert "Facilitators:" in header and staff.display_name in header and "Zhang &lt;Wei&gt;" in header
    times = re.findall(r'<time datetime="([^"]+)">([^<]+)</time>', page)
    active = [e.last_activity_at for e in Enrollment.objects.filter(user__in=people.values(), last_activity_at__isnull=False)]
    assert times and len(times) <= len(people)
    for iso, shown in times:
        moment = datetime.fromisoformat(iso)
        assert moment.utcoffset() == timezone.localtime(moment).utcoffset()  # written in the site's zone
        assert shown == formats.date_format(moment, "SHORT_DATE_FORMAT")
        assert any(abs((moment - a).total_seconds()) < 1 for a in active)
