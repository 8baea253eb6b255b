"""Invitations: a shareable link and code, and the CSV bulk invite (a dry run, then a confirmation)."""
from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.notify import notification_send

from ..models import Cohort, CohortInvitation, CohortInviteImport, CohortInviteRow, CohortMembership

PERSONAL_INVITATION_DAYS = 30
MAX_CSV_BYTES = 2 * 1024 * 1024
MAX_CSV_ROWS = 5000
COLUMNS = ("email", "name", "association", "language")
ENCODINGS = {"utf-8": "utf-8-sig", "gb18030": "gb18030", "cp1252": "cp1252"}

HEADER_ALIASES = {
    "email": {"email", "e-mail", "mail", "courriel", "adresse e-mail", "adresse email", "adresse mail", "邮箱", "电子邮箱",
              "电子邮件", "邮件"},
    "name": {"name", "nom", "prénom nom", "nom complet", "full name", "display name", "姓名", "名字"},
    "association": {"association", "organisation", "organization", "structure", "社会组织", "组织", "机构", "公益组织"},
    "language": {"language", "langue", "lang", "语言"},
}
LANGUAGE_ALIASES = {
    "fr": "fr", "fr-fr": "fr", "french": "fr", "français": "fr", "francais": "fr", "法语": "fr", "法文": "fr",
    "zh": "zh-hans", "zh-hans": "zh-hans", "zh_hans": "zh-hans", "zh-cn": "zh-hans", "zh_cn": "zh-hans", "cn": "zh-hans",
    "chinese": "zh-hans", "chinois": "zh-hans", "中文": "zh-hans", "简体中文": "zh-hans", "汉语": "zh-hans",
    "en": "en", "en-gb": "en", "en-us": "en", "english": "en", "anglais": "en", "英语": "en", "英文": "en",
}


def language_normalise(value: str) -> str | None:
    """A language code of the site from what a person typed in a spreadsheet; None if unknown."""
    code = LANGUAGE_ALIASES.get(value.strip().casefold())
    return code if code in dict(settings.LANGUAGES) else None


# --- Link and code -------------------------------------------------------------------------------

def invitation_create(*, cohort: Cohort, created_by: User, expires_at: datetime | None = None, max_uses: int | None = None,
                      label: str = "") -> CohortInvitation:
    """A shareable link with its short code."""
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry date is in the past: choose a later date, or none.")})
    if max_uses is not None and max_uses < 1:
        raise ValidationError({"max_uses": _("Allow at least one use, or leave the maximum empty for no limit.")})
    for _attempt in range(5):  # the random code could collide with an existing one
        invitation = CohortInvitation(cohort=cohort, kind=CohortInvitation.Kind.LINK, created_by=created_by,
                                      expires_at=expires_at, max_uses=max_uses, label=label.strip()[:120])
        invitation.full_clean()
        try:
            with transaction.atomic():
                invitation.save()
            return invitation
        except IntegrityError:
            continue
    raise RuntimeError("Could not draw a unique invitation code.")


def invitation_revoke(*, invitation: CohortInvitation) -> CohortInvitation:
    CohortInvitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    invitation.refresh_from_db()
    return invitation


def invitation_join_path(invitation: CohortInvitation) -> str:
    return reverse("cohorts:join", kwargs={"token": invitation.token})


def invitation_email_send(*, invitation_id: int, language: str) -> bool:
    """Send a personal invitation once (a retried task finds email_sent_at set and does nothing)."""
    with transaction.atomic():
        invitation = (CohortInvitation.objects.select_for_update().select_related("cohort__intermediary")
                      .filter(pk=invitation_id, email_sent_at__isnull=True).exclude(email="").first())
        if invitation is None or invitation.state() != "open":
            return False
        cohort = invitation.cohort
        facilitators = [user.display_name for user in cohort.facilitators.all()]
        # Someone who already has an account and chose SMS gets the invitation by SMS.
        user = User.objects.filter(email__iexact=invitation.email, is_active=True).first()
        notification_send(user=user, email=invitation.email, template="cohorts/email/invitation", language=language, context={
            "invitation": invitation, "cohort": cohort, "organisation": cohort.intermediary.name,
            "facilitators": facilitators, "path": invitation_join_path(invitation),
        })
        invitation.email_sent_at = timezone.now()
        invitation.save(update_fields=["email_sent_at"])
        return True


# --- CSV bulk invite -----------------------------------------------------------------------------

def _decode(data: bytes, encoding: str) -> str:
    if encoding not in ENCODINGS:
        encoding = "utf-8"
    try:
        return data.decode(ENCODINGS[encoding])
    except UnicodeDecodeError:
        raise ValidationError({"file": _(
            "This file is not in the chosen encoding. In Excel, save it as “CSV UTF-8”, or choose the file's encoding "
            "(GB18030 for Excel in Chinese, Windows-1252 for older Excel in French) and upload it again."
        )})


def _header_map(row: list[str]) -> dict[str, int] | None:
    columns = {}
    for index, cell in enumerate(row):
        name = cell.strip().casefold()
        for column, aliases in HEADER_ALIASES.items():
            if name in aliases and column not in columns:
                columns[column] = index
    return columns if "email" in columns else None


def _cell(record: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return record[index].strip() if index is not None and index < len(record) else ""


def invite_csv_parse(*, data: bytes, encoding: str = "utf-8") -> list[dict]:
    """Read the file into rows {line, email, name, association, language}. Columns: email, name,
    association, language — found by their header (French, Chinese or English names) or, without
    a header, in that order. Blank lines are skipped; line numbers are those of the file."""
    if len(data) > MAX_CSV_BYTES:
        raise ValidationError({"file": _("This file is larger than 2 MB. Split it into several files.")})
    text = _decode(data, encoding)
    if not text.strip():
        raise ValidationError({"file": _("This file is empty. Put one person per line: email, name, association, language.")})
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows, columns = [], None
    for record in reader:
        if not any(cell.strip() for cell in record):
            continue
        if columns is None and not rows:
            columns = _header_map(record)
            if columns is not None:
                continue
            columns = {"email": 0, "name": 1, "association": 2, "language": 3}
        rows.append({"line": reader.line_num, **{name: _cell(record, columns, name) for name in COLUMNS}})
        if len(rows) > MAX_CSV_ROWS:
            raise ValidationError({"file": _("This file has more than %(max)d people. Split it into several files.")
                                   % {"max": MAX_CSV_ROWS}})
    if not rows:
        raise ValidationError({"file": _("This file has no one to invite. Put one person per line: email, name, association, language.")})
    return rows


def _row_check(row: dict, cohort: Cohort, first_line: dict[str, int]) -> tuple[str, list[str], str, str]:
    """(normalised email, error codes, messages, language)."""
    errors, messages = [], []
    email = row["email"].strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors.append(CohortInviteRow.Error.INVALID_EMAIL)
        messages.append(_("“%(value)s” is not a valid email address: correct it in the file.") % {"value": row["email"]}
                        if row["email"] else _("The email address is missing: add it in the file."))
    language = cohort.language
    if row["language"]:
        language = language_normalise(row["language"])
        if language is None:
            errors.append(CohortInviteRow.Error.UNKNOWN_LANGUAGE)
            messages.append(_("Unknown language “%(value)s”: write fr, zh-hans or en.") % {"value": row["language"]})
            language = ""
    if len(row["name"]) > 150 or len(row["association"]) > 200:
        errors.append(CohortInviteRow.Error.TOO_LONG)
        messages.append(_("The name (150 characters at most) or the association (200 at most) is too long: shorten it."))
    if not errors:
        if email in first_line:
            errors.append(CohortInviteRow.Error.DUPLICATE)
            messages.append(_("This address is already on line %(line)d: each person is invited once.")
                            % {"line": first_line[email]})
        else:
            first_line[email] = row["line"]
    return email, errors, " ".join(messages), language


@transaction.atomic
def invite_import_create(*, cohort: Cohort, created_by: User, data: bytes, filename: str = "",
                         encoding: str = "utf-8") -> CohortInviteImport:
    """The dry run: read the file, say row by row what will happen or why a row is refused. Nothing is sent.
    It never tells whether an address has an account on the site, nor its language."""
    parsed = invite_csv_parse(data=data, encoding=encoding)
    batch = CohortInviteImport.objects.create(cohort=cohort, created_by=created_by, filename=filename[:200])
    _import_rows_create(batch=batch, cohort=cohort, parsed=parsed)
    return batch


def _import_rows_create(*, batch: CohortInviteImport, cohort: Cohort, parsed: list[dict]) -> list[CohortInviteRow]:
    """Say row by row what will happen to each person of the batch, or why a row is refused."""
    first_line: dict[str, int] = {}
    checked = [(row, *_row_check(row, cohort, first_line)) for row in parsed]
    emails = {email for _row, email, errors, _m, _l in checked if not errors}
    members = set(CohortMembership.objects.filter(cohort=cohort, status=CohortMembership.Status.ACTIVE, user__email__in=emails)
                  .values_list("user__email", flat=True))
    pending = {invitation.email for invitation in cohort.invitations.filter(kind=CohortInvitation.Kind.PERSONAL, email__in=emails)
               if invitation.state() == "open"}
    rows = []
    for row, email, errors, message, language in checked:
        if errors:
            action = CohortInviteRow.Action.ERROR
        elif email in members:
            action = CohortInviteRow.Action.ALREADY_MEMBER
        elif email in pending:
            action = CohortInviteRow.Action.RESEND
        else:
            # Whether the address has an account (and in which language) is not the staff's to know:
            # every new address gets the same answer (INVITE_EXISTING is kept for rows made before).
            action = CohortInviteRow.Action.INVITE_NEW
        rows.append(CohortInviteRow(
            batch=batch, line=row["line"], email=(email if not errors else row["email"])[:254], display_name=row["name"][:150],
            association_name=row["association"][:200], language=language, action=action,
            error=errors[0] if errors else "", message=message[:300],
        ))
    CohortInviteRow.objects.bulk_create(rows)
    return rows


def invitation_personal_send(*, cohort: Cohort, created_by: User, email: str, language: str,
                             display_name: str = "") -> CohortInviteRow:
    """Invite one person: the CSV path with a one-line batch (the same checks, the same invitation, the same email),
    checked and confirmed at once. The row's action says what happened; a refused row raises a ValidationError."""
    row = {"line": 1, "email": email[:254], "name": display_name[:150], "association": "", "language": language[:20]}
    with transaction.atomic():
        batch = CohortInviteImport.objects.create(cohort=cohort, created_by=created_by, filename="")
        [result] = _import_rows_create(batch=batch, cohort=cohort, parsed=[row])
        if result.action == CohortInviteRow.Action.ERROR:
            if result.error == CohortInviteRow.Error.INVALID_EMAIL:  # the row's message speaks of a file
                raise ValidationError({"email": _("Enter a valid email address.")})
            field = "language" if result.error == CohortInviteRow.Error.UNKNOWN_LANGUAGE else "email"
            raise ValidationError({field: result.message})
    invite_import_confirm(batch=batch, confirmed_by=created_by)
    return result


def invite_import_counts(batch: CohortInviteImport) -> dict[str, int]:
    counts = dict.fromkeys(CohortInviteRow.Action.values, 0)
    for action in batch.rows.values_list("action", flat=True):
        counts[action] += 1
    counts["to_send"] = counts["invite_new"] + counts["invite_existing"] + counts["resend"]
    return counts


def invite_import_confirm(*, batch: CohortInviteImport, confirmed_by: User) -> dict[str, int]:
    """Create the personal invitations of the good rows and queue their emails (in each invitee's
    language). Confirming twice sends nothing twice."""
    from core.outbox import outbox_enqueue

    from ..tasks import cohort_invitation_email_send_task

    with transaction.atomic():
        batch = CohortInviteImport.objects.select_for_update().select_related("cohort").get(pk=batch.pk)
        if batch.status == CohortInviteImport.Status.CONFIRMED:
            return {"sent": 0, "already_confirmed": 1}
        cohort = batch.cohort
        rows = list(batch.rows.filter(action__in=[CohortInviteRow.Action.INVITE_NEW, CohortInviteRow.Action.INVITE_EXISTING,
                                                  CohortInviteRow.Action.RESEND]))
        emails = [row.email for row in rows]
        # Someone may have joined since the dry run: they are not invited again.
        members = set(CohortMembership.objects.filter(cohort=cohort, status=CohortMembership.Status.ACTIVE,
                                                      user__email__in=emails).values_list("user__email", flat=True))
        open_invitations = {inv.email: inv for inv in cohort.invitations.filter(kind=CohortInvitation.Kind.PERSONAL, email__in=emails)
                            .order_by("created_at") if inv.state() == "open"}
        expires_at = timezone.now() + timedelta(days=PERSONAL_INVITATION_DAYS)
        to_send: list[tuple[int, str]] = []
        for row in rows:
            if row.email in members:
                row.action = CohortInviteRow.Action.ALREADY_MEMBER
                continue
            invitation = open_invitations.get(row.email)
            if invitation is not None:
                CohortInvitation.objects.filter(pk=invitation.pk).update(email_sent_at=None, expires_at=expires_at)
            else:
                invitation = CohortInvitation.objects.create(
                    cohort=cohort, kind=CohortInvitation.Kind.PERSONAL, email=row.email, display_name=row.display_name,
                    association_name=row.association_name, language=row.language, max_uses=1, expires_at=expires_at,
                    created_by=confirmed_by)
                open_invitations[row.email] = invitation
            row.invitation = invitation
            to_send.append((invitation.pk, row.language or cohort.language))
        CohortInviteRow.objects.bulk_update(rows, ["action", "invitation"])
        batch.status = CohortInviteImport.Status.CONFIRMED
        batch.confirmed_at = timezone.now()
        batch.save(update_fields=["status", "confirmed_at"])
        for invitation_id, language in dict(to_send).items():
            # A confirmed row may re-send an open invitation: each sending has a key of its own.
            outbox_enqueue(cohort_invitation_email_send_task, args=[invitation_id, language],
                           key=f"cohort-invitation-email:{invitation_id}:{uuid.uuid4().hex}")
    return {"sent": len(dict(to_send)), "already_confirmed": 0}
