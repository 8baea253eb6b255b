"""The task that sends one statement to the LRS. Queued through the outbox: a failure (the LRS down,
a timeout, a 5xx) raises, and the outbox runs it again later with backoff; nothing is lost."""
from celery import shared_task

from .client import statement_put


@shared_task(time_limit=60)
def xapi_statement_send_task(statement: dict) -> None:
    statement_put(statement)
