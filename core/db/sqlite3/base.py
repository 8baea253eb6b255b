"""SQLite with writers queued by the kernel rather than by SQLite's busy handler.

Every transaction takes SQLite's one write lock at BEGIN (IMMEDIATE, config/settings.py). A writer that finds the
lock taken is put to sleep by SQLite's default busy handler for 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50 and then
100 ms at a time, and does not wake when the lock is freed: under load the lock sits idle while the writers sleep,
the server's cores with it, and the unlucky writer waits hundreds of milliseconds. Here a transaction first takes an
exclusive `flock` on a file beside the database (`<database>.writelock`), which every process of the site (web
workers, Celery, commands) shares; the kernel hands it to the next waiter as soon as it is released, and SQLite's
lock is then free. The threads of one process queue on a `threading.Lock` before the file (one poller per process,
not one per waiting thread). The wait is bounded like SQLite's (the database's `timeout`): past it the transaction goes on to
BEGIN IMMEDIATE and SQLite's own handler and error (so a writer stuck behind a transaction that never ends
gets "database is locked" after twice the timeout, 60 s, where it got it after 30 s). The file lock only orders
writers that would otherwise queue in SQLite: what keeps the data right is still SQLite's lock. Measured in
docs/performance.md.
"""
from __future__ import annotations

import fcntl
import os
import threading
import time

from django.db.backends.sqlite3 import base

# The threads of one process queue on a lock of their own before the file lock: a threading.Lock wakes the next
# waiter when it is released and costs the others nothing while they wait, where every thread polling the file
# lock woke up to a thousand times a second, each time taking Python's lock from the thread doing work.
_process_locks: dict[str, threading.Lock] = {}
_process_locks_guard = threading.Lock()


def _process_lock(name: str) -> threading.Lock:
    with _process_locks_guard:
        return _process_locks.setdefault(name, threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    _write_lock_fd: int | None = None
    _write_locked = False
    _process_locked: threading.Lock | None = None

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        self._close_write_lock()
        if not self.is_in_memory_db():
            try:
                self._write_lock_fd = os.open(f"{self.settings_dict['NAME']}.writelock", os.O_RDWR | os.O_CREAT, 0o600)
            except OSError:
                # A folder that became read-only or full: writers queue in SQLite's busy handler, as without this.
                self._write_lock_fd = None
        return connection

    def _start_transaction_under_autocommit(self):
        self._take_write_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._close_write_lock()

    def _take_write_lock(self) -> None:
        if self._write_lock_fd is None or self._write_locked:
            return
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        deadline = time.monotonic() + timeout
        # First this process's own queue (another thread of it may be writing); past the timeout, SQLite decides.
        lock = _process_lock(self.settings_dict["NAME"])
        if not lock.acquire(timeout=timeout):
            return
        self._process_locked = lock
        try:
            fcntl.flock(self._write_lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._write_locked = True
            return
        except BlockingIOError:
            pass
        # Another process writes: wait for it in short sleeps (the thread gives up the GIL while it sleeps), for what
        # is left of the database's timeout. A blocking flock would wake sooner but could not give up.
        pause = 0.0001
        while time.monotonic() < deadline:
            time.sleep(pause)
            try:
                fcntl.flock(self._write_lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._write_locked = True
                return
            except BlockingIOError:
                pause = min(pause * 2, 0.001)

    def _release_write_lock(self) -> None:
        if self._write_locked:
            self._write_locked = False
            fcntl.flock(self._write_lock_fd, fcntl.LOCK_UN)
        if self._process_locked is not None:
            lock, self._process_locked = self._process_locked, None
            lock.release()

    def _close_write_lock(self) -> None:
        self._release_write_lock()
        if self._write_lock_fd is not None:
            fd, self._write_lock_fd = self._write_lock_fd, None
            os.close(fd)
