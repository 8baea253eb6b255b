"""SQLite's writers queue on a file lock the kernel hands over (core/db/sqlite3), not in SQLite's sleeping busy handler."""
import fcntl
import os
import threading
import time

import pytest
from django.db import connection, connections, transaction

from accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lock_file():
    if connection.vendor != "sqlite":
        pytest.skip("The write lock file is SQLite's; this run uses another database.")
    connection.ensure_connection()
    fd = os.open(f"{connection.settings_dict['NAME']}.writelock", os.O_RDWR)
    yield fd
    os.close(fd)


def _free(fd) -> bool:
    """Whether another process could take the write lock now (a second open file description, as another process has)."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    fcntl.flock(fd, fcntl.LOCK_UN)
    return True


def test_a_transaction_holds_the_write_lock_until_it_commits(lock_file):
    assert _free(lock_file)
    with transaction.atomic():
        assert not _free(lock_file)
        User.objects.create_user(email="a@example.org", password="x" * 12)
        with transaction.atomic():  # a savepoint: the lock is the outer transaction's
            assert not _free(lock_file)
        assert not _free(lock_file)
    assert _free(lock_file)
    assert User.objects.filter(email="a@example.org").exists()


def test_a_transaction_that_fails_gives_the_lock_back_and_writes_nothing(lock_file):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        User.objects.create_user(email="b@example.org", password="x" * 12)
        1 / 0  # noqa: B018
    assert _free(lock_file)
    assert not User.objects.filter(email="b@example.org").exists()
    connection.close()  # closing the connection closes its lock file too
    assert _free(lock_file)
    with transaction.atomic():
        assert not _free(lock_file)
    assert _free(lock_file)


def test_a_second_writer_waits_for_the_first_and_goes_on_as_soon_as_it_commits(lock_file):
    inside, release = threading.Event(), threading.Event()
    events = []

    def first():
        with transaction.atomic():
            events.append(("first in", time.monotonic()))
            inside.set()
            release.wait(10)
            User.objects.create_user(email="first@example.org", password="x" * 12)
            events.append(("first out", time.monotonic()))
        connections.close_all()

    def second():
        inside.wait(10)
        with transaction.atomic():
            events.append(("second in", time.monotonic()))
            User.objects.create_user(email="second@example.org", password="x" * 12)
        connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    inside.wait(10)
    time.sleep(0.3)
    assert [name for name, _ in events] == ["first in"]
    release.set()
    for thread in threads:
        thread.join(10)
    assert [name for name, _ in events] == ["first in", "first out", "second in"]
    # Handed over within the poll's millisecond (plus a busy CI machine's scheduling), not after a timeout.
    assert events[2][1] - events[1][1] < 0.5
    assert User.objects.filter(email__in=["first@example.org", "second@example.org"]).count() == 2


def test_a_lock_held_too_long_elsewhere_delays_a_writer_by_the_timeout_then_sqlite_decides(lock_file, monkeypatch):
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "timeout", 0.3)
    fcntl.flock(lock_file, fcntl.LOCK_EX)  # a process stuck between BEGIN and COMMIT of nothing SQLite knows about
    try:
        started = time.monotonic()
        with transaction.atomic():
            User.objects.create_user(email="late@example.org", password="x" * 12)
        waited = time.monotonic() - started
    finally:
        fcntl.flock(lock_file, fcntl.LOCK_UN)
    assert 0.3 <= waited < 2
    assert User.objects.filter(email="late@example.org").exists()


def test_the_threads_own_queue_is_given_back_at_commit_on_failure_and_on_close(lock_file):
    """Before the file, the threads of a process queue on a threading.Lock: held exactly as long as the file lock."""
    from core.db.sqlite3.base import _process_lock

    queue = _process_lock(connection.settings_dict["NAME"])
    assert not queue.locked()
    with transaction.atomic():
        assert queue.locked() and not _free(lock_file)
    assert not queue.locked()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        assert queue.locked()
        1 / 0  # noqa: B018
    assert not queue.locked()
    atomic = transaction.atomic()
    atomic.__enter__()
    assert queue.locked()
    connection.close()  # a connection closed inside its transaction (a worker killed mid-request, a timeout)
    assert not queue.locked() and _free(lock_file)
    atomic.__exit__(None, None, None)
    with transaction.atomic():  # the next transaction of the process is not held up
        User.objects.create_user(email="after-close@example.org", password="x" * 12)
    assert not queue.locked()
