"""CSV bulk invite: the dry run row by row, bad rows with line and reason, good rows kept, emails once in each language."""
import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from cohorts.models import CohortInvitation, CohortInviteImport, CohortInviteRow
from cohorts.services import invitation_email_send, invite_csv_parse, invite_import_confirm, invite_import_create
from tests.factories import UserFactory

from .factories import member

pytestmark = pytest.mark.django_db

CSV = """email,name,association,language
lea.martin@example.org,Léa Martin,Les Jardins du Rhône,fr
not-an-email,Paul,Asso,fr
wang.fang@example.cn,王芳,阳光社区助老服务社,zh-hans

tom@example.org,Tom,Harbour Club,klingon
LEA.MARTIN@example.org,Léa again,,fr
sam@example.org,Sam,,
"""


def rows_by_line(batch):
    return {row.line: row for row in batch.rows.all()}


def test_the_dry_run_says_what_will_happen_line_by_line_and_sends_nothing(cohort, staff):
    batch = invite_import_create(cohort=cohort, created_by=staff, data=CSV.encode(), filename="list.csv")
    rows = rows_by_line(batch)
    assert sorted(rows) == [2, 3, 4, 6, 7, 8]  # the blank line 5 is skipped, numbers stay those of the file
    assert (rows[2].action, rows[2].email, rows[2].language) == ("invite_new", "lea.martin@example.org", "fr")
    assert (rows[3].action, rows[3].error) == ("error", "invalid_email")
    assert "not-an-email" in rows[3].message
    assert (rows[4].action, rows[4].language, rows[4].display_name) == ("invite_new", "zh-hans", "王芳")
    assert (rows[6].error, rows[6].message) == ("unknown_language", "Unknown language “klingon”: write fr, zh-hans or en.")
    assert rows[7].error == "duplicate" and "line 2" in rows[7].message
    assert rows[8].language == cohort.language  # no language given: the cohort's
    assert mail.outbox == []
    assert not CohortInvitation.objects.filter(kind="personal").exists()


def test_existing_accounts_members_and_pending_invitations_are_recognised(cohort, staff):
    UserFactory(email="known@example.org", preferred_language="zh-hans")
    inside = member(cohort)
    CohortInvitation.objects.create(cohort=cohort, kind="personal", email="pending@example.org", max_uses=1)
    data = f"known@example.org,Known,,\n{inside.email},Inside,,\npending@example.org,Pending,,\n".encode()
    rows = rows_by_line(invite_import_create(cohort=cohort, created_by=staff, data=data))
    # Whether an address has an account, and its language, is not told (issue 10): same answer as a new address.
    assert (rows[1].action, rows[1].language) == ("invite_new", cohort.language)
    assert rows[2].action == "already_member"
    assert rows[3].action == "resend"


def test_confirming_sends_the_good_rows_once_each_in_the_invitees_language(cohort, staff, django_capture_on_commit_callbacks):
    batch = invite_import_create(cohort=cohort, created_by=staff, data=CSV.encode())
    with django_capture_on_commit_callbacks(execute=True):
        result = invite_import_confirm(batch=batch, confirmed_by=staff)
    assert result["sent"] == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["lea.martin@example.org", "sam@example.org", "wang.fang@example.cn"]
    languages = {m.to[0]: m.extra_headers["Content-Language"] for m in mail.outbox}
    assert languages == {"lea.martin@example.org": "fr", "sam@example.org": cohort.language, "wang.fang@example.cn": "zh-hans"}
    body = next(m.body for m in mail.outbox if m.to[0] == "wang.fang@example.cn")
    invitation = CohortInvitation.objects.get(email="wang.fang@example.cn")
    assert f"/cohorts/join/{invitation.token}/" in body
    assert (invitation.max_uses, invitation.association_name, invitation.email_sent_at is not None) == (1, "阳光社区助老服务社", True)
    assert rows_by_line(batch)[4].invitation_id == invitation.pk
    # A second confirmation (double click, retried request) sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert invite_import_confirm(batch=batch, confirmed_by=staff)["sent"] == 0
    assert len(mail.outbox) == 3
    assert CohortInviteImport.objects.get(pk=batch.pk).status == "confirmed"


def test_a_retried_email_task_sends_once(cohort, staff, django_capture_on_commit_callbacks):
    batch = invite_import_create(cohort=cohort, created_by=staff, data=b"one@example.org,One,,en\n")
    with django_capture_on_commit_callbacks(execute=True):
        invite_import_confirm(batch=batch, confirmed_by=staff)
    invitation = CohortInvitation.objects.get(email="one@example.org")
    assert invitation_email_send(invitation_id=invitation.pk, language="en") is False
    assert len(mail.outbox) == 1


def test_someone_who_joined_between_dry_run_and_confirmation_is_not_invited(cohort, staff, django_capture_on_commit_callbacks):
    user = UserFactory(email="quick@example.org")
    batch = invite_import_create(cohort=cohort, created_by=staff, data=b"quick@example.org,Quick,,fr\n")
    member(cohort, user)
    with django_capture_on_commit_callbacks(execute=True):
        assert invite_import_confirm(batch=batch, confirmed_by=staff)["sent"] == 0
    assert mail.outbox == []
    assert batch.rows.get().action == CohortInviteRow.Action.ALREADY_MEMBER


@pytest.mark.parametrize("text", [
    "Courriel;Nom;Association;Langue\nlea@example.org;Léa;Asso;Français\n",
    "姓名,邮箱,社会组织,语言\n李明,lea@example.org,Asso,中文\n",
    "lea@example.org\n",
])
def test_headers_in_three_languages_semicolons_or_no_header(text):
    rows = invite_csv_parse(data=text.encode("utf-8-sig"))
    assert rows[0]["email"] == "lea@example.org"


def test_gb18030_files_from_chinese_excel_and_a_clear_error_for_the_wrong_encoding():
    data = "邮箱,姓名\nwang@example.cn,王芳\n".encode("gb18030")
    with pytest.raises(ValidationError, match="CSV UTF-8"):
        invite_csv_parse(data=data)
    assert invite_csv_parse(data=data, encoding="gb18030")[0]["name"] == "王芳"


@pytest.mark.parametrize("data, message", [(b"", "empty"), (b"email\n", "no one"), (b"x" * (3 * 1024 * 1024), "2 MB")])
def test_unusable_files_are_refused_with_a_sentence(data, message):
    with pytest.raises(ValidationError, match=message):
        invite_csv_parse(data=data)
