"""What an erasure needs to void a learner's statements is recorded with each statement (no LRS needed here)."""
import importlib

import pytest
from django.apps import apps
from django.db import transaction

from core.models import OutboxMessage
from tests.factories import UserFactory
from xapi import hooks
from xapi.models import StatementRecord

pytestmark = pytest.mark.django_db


def test_each_statement_about_a_learner_is_recorded_once(settings):
    from tests.learners.factories import module_with_lessons
    from tests.xapi.test_ralph import learn

    settings.XAPI_LRS_URL = "http://127.0.0.1:9/xAPI"  # nothing listens: the messages stay pending
    user = UserFactory(is_learner=True)
    module = module_with_lessons(lessons=2, questions=1)
    learn(user, module)
    with transaction.atomic():
        hooks.certificate_issued(certificate=user.certificates.get())  # the same event again
    keys = set(OutboxMessage.objects.filter(task__startswith="xapi.").values_list("key", flat=True))
    records = set(StatementRecord.objects.filter(user=user).values_list("statement_id", flat=True))
    assert keys == {f"xapi:{r}" for r in records} and len(records) >= 6


def test_statements_sent_before_the_records_existed_are_recorded_by_the_migration(settings):
    settings.XAPI_LRS_URL = "http://127.0.0.1:9/xAPI"
    user, erased = UserFactory(is_learner=True), UserFactory(is_learner=True)
    from xapi import statements as st

    for person in (user, erased):
        statement = st.statement(event=f"old:{person.pk}", user_id=person.pk, verb="completed",
                                 obj=st.activity("modules/x", "module"), timestamp=person.date_joined)
        OutboxMessage.objects.create(key=f"xapi:{statement['id']}", task="xapi.tasks.xapi_statement_send_task",
                                     args=[statement], status=OutboxMessage.Status.DONE, next_attempt_at=person.date_joined)
    type(erased).objects.filter(pk=erased.pk).update(erased_at=erased.date_joined)
    StatementRecord.objects.all().delete()
    migration = importlib.import_module("xapi.migrations.0002_statement_records_from_the_outbox")
    migration.backfill(apps, None)
    migration.backfill(apps, None)  # twice: the same
    assert list(StatementRecord.objects.values_list("user_id", flat=True)) == [user.pk]
    assert str(StatementRecord.objects.get().statement_id) == st.statement_id(f"old:{user.pk}")
