"""Impact tasks run by the Celery worker (thin: each calls a service with ids)."""
from celery import shared_task

from . import services


@shared_task(time_limit=300)
def impact_report_pdf_task(report_id: int) -> None:
    services.impact_report_pdf_render(report_id=report_id)
