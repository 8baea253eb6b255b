"""Every write of the impact app: network invitations answered and withdrawn by the intermediary's managers,
and the impact report PDFs (written by a Celery task queued through the outbox)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Intermediary

from . import permissions
from .models import ImpactReport, Network, NetworkMembership

Status = NetworkMembership.Status


@transaction.atomic
def network_invite(*, network: Network, slug: str, by, message: str = "") -> NetworkMembership:
    """A network manager invites an intermediary (again, after a decline or a withdrawal)."""
    if not permissions.can_invite_to_network(by, network.pk):
        raise PermissionDenied
    intermediary = Intermediary.objects.filter(slug=slug.strip().lower()).first()
    if intermediary is None:
        raise ValidationError({"intermediary": _("No intermediary has this short name. Check it with the intermediary.")})
    link, created = NetworkMembership.objects.select_for_update().get_or_create(
        network=network, intermediary=intermediary, defaults={"invited_by": by, "message": message[:1000]})
    if not created:
        if link.status in (Status.INVITED, Status.ACCEPTED):
            raise ValidationError(_("This intermediary is already invited to or part of the network."))
        link.status, link.invited_by, link.invited_at, link.message = Status.INVITED, by, timezone.now(), message[:1000]
        link.responded_by = link.responded_at = None
        link.save()
    return link


def _answer(*, link: NetworkMembership, by, allowed_from: set[str], to: str) -> NetworkMembership:
    if not permissions.can_manage_intermediary_networks(by, link.intermediary_id):
        raise PermissionDenied
    with transaction.atomic():
        link = NetworkMembership.objects.select_for_update().get(pk=link.pk)
        if link.status not in allowed_from:
            raise ValidationError(_("This invitation has already been answered. Reload the page to see where it stands."))
        link.status, link.responded_by, link.responded_at = to, by, timezone.now()
        link.save(update_fields=["status", "responded_by", "responded_at"])
    return link


def network_membership_accept(*, link: NetworkMembership, by) -> NetworkMembership:
    return _answer(link=link, by=by, allowed_from={Status.INVITED}, to=Status.ACCEPTED)


def network_membership_decline(*, link: NetworkMembership, by) -> NetworkMembership:
    return _answer(link=link, by=by, allowed_from={Status.INVITED}, to=Status.DECLINED)


def network_membership_withdraw(*, link: NetworkMembership, by) -> NetworkMembership:
    """The intermediary leaves the network: its figures disappear from the network's pages at once."""
    return _answer(link=link, by=by, allowed_from={Status.ACCEPTED}, to=Status.WITHDRAWN)


# --- Impact report PDFs --------------------------------------------------------------------------

def reports_dir():
    from django.conf import settings

    return settings.VAR_DIR / "reports"


def impact_report_pdf_request(*, scope: str, scope_id: int, period, language: str, by) -> ImpactReport:
    """Record a PDF to write and, in the same transaction, the task that owes it (the outbox)."""
    from core.outbox import outbox_enqueue

    from .tasks import impact_report_pdf_task

    with transaction.atomic():
        report = ImpactReport.objects.create(scope=scope, scope_id=scope_id, period_start=period.start, period_end=period.end,
                                             language=language, created_by=by if by and by.is_authenticated else None)
        outbox_enqueue(impact_report_pdf_task, args=[report.pk], key=f"impact-report-pdf:{report.pk}")
    return report


def _progress(report_id: int, percent: int, **fields) -> None:
    ImpactReport.objects.filter(pk=report_id).update(progress=percent, **fields)


def impact_report_pdf_render(*, report_id: int) -> ImpactReport | None:
    """Write the PDF once (a finished report is left as it is), stepping the progress as it goes."""
    import os
    import tempfile

    from django.utils import translation

    from .rendering import report_pdf
    from .selectors.overview import Period
    from .selectors.report import impact_report

    report = ImpactReport.objects.filter(pk=report_id).first()
    if report is None or report.status == ImpactReport.Status.DONE:
        return report
    _progress(report_id, 5, status=ImpactReport.Status.RUNNING)
    try:
        with translation.override(report.language):
            figures = impact_report(scope=report.scope, scope_id=report.scope_id, language=report.language,
                                    period=Period(report.period_start, report.period_end))
            _progress(report_id, 40)
            pdf = report_pdf(figures)
        _progress(report_id, 85)
        directory = reports_dir()
        directory.mkdir(parents=True, exist_ok=True)
        final = directory / f"impact-{report.pk}.pdf"
        handle, partial = tempfile.mkstemp(dir=directory, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(pdf)
        os.replace(partial, final)
        _progress(report_id, 100, status=ImpactReport.Status.DONE, file_path=final.name, file_size=len(pdf),
                  finished_at=timezone.now())
    except Exception as error:  # recorded for the person who asked; the worker's log has the traceback
        with translation.override(report.language):
            _progress(report_id, 100, status=ImpactReport.Status.FAILED, finished_at=timezone.now(),
                      error=_("The report could not be written. Try again; if it fails again, tell the site's administrator."))
        raise error
    report.refresh_from_db()
    return report
