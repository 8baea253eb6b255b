"""Races on PostgreSQL: many people taking the last uses of an invitation, the reminder task run
twice at once, a CSV confirmation clicked twice."""
import threading

import pytest
from django.core import mail
from django.db import connection

from cohorts.models import CohortInvitation, CohortMembership, CohortReminder
from cohorts.services import cohort_join, invite_import_confirm, invite_import_create, reminders_due_send
from learners.services import lesson_progress_record
from tests.factories import UserFactory

from .factories import backdate, link, member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("Row locks are only meaningful on PostgreSQL: run with DATABASE_URL=postgres://…")


def run_together(functions) -> list:
    barrier = threading.Barrier(len(functions))
    results: list = [None] * len(functions)

    def runner(index, function):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:  # collected and checked by the test
            results[index] = error
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=runner, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_the_last_uses_of_an_invitation_go_to_exactly_max_uses_people(cohort):
    invitation = link(cohort, max_uses=3)
    users = [UserFactory() for _ in range(8)]
    results = run_together([lambda u=u: cohort_join(invitation=invitation, user=u) for u in users])
    joined = [r for r in results if isinstance(r, tuple)]
    assert len(joined) == 3, results
    assert cohort.memberships.count() == 3
    assert CohortInvitation.objects.get(pk=invitation.pk).uses_count == 3


def test_the_same_person_joining_twice_at_once_is_one_membership_and_one_use(cohort):
    invitation = link(cohort, max_uses=5)
    user = UserFactory()
    run_together([lambda: cohort_join(invitation=invitation, user=user) for _ in range(4)])
    assert CohortMembership.objects.filter(cohort=cohort, user=user).count() == 1
    assert CohortInvitation.objects.get(pk=invitation.pk).uses_count == 1


def test_two_reminder_runs_at_once_send_each_reminder_once(cohort, module_a):
    learners = []
    for _ in range(5):
        user = member(cohort)
        lesson_progress_record(user=user, lesson=module_a.lessons.first())
        backdate(user, days=20)
        learners.append(user)
    results = run_together([reminders_due_send, reminders_due_send, reminders_due_send])
    assert sum(r for r in results if isinstance(r, int)) == 5, results
    assert CohortReminder.objects.count() == 5
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in learners)


def test_a_csv_confirmation_clicked_twice_at_once_sends_once(cohort, staff):
    batch = invite_import_create(cohort=cohort, created_by=staff, data=b"a@example.org,A,,fr\nb@example.org,B,,zh-hans\n")
    results = run_together([lambda: invite_import_confirm(batch=batch, confirmed_by=staff) for _ in range(3)])
    assert sorted(r["sent"] for r in results) == [0, 0, 2], results
    assert CohortInvitation.objects.filter(kind="personal").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
