"""Helpers of the fault tests: folders made unwritable (even for root), a broker that goes down."""
import os
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def unwritable(path: Path):
    """The folder refuses new files for as long as the block runs. Root ignores permission bits, so as
    root the folder is made immutable (chattr +i), which refuses root too."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.fail("chattr (e2fsprogs) is needed to make a folder read-only for root.")
        subprocess.run(["chattr", "+i", str(path)], check=True)
        try:
            yield path
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o555)
        try:
            yield path
        finally:
            path.chmod(mode)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OwnRedis:
    """A redis-server of the test's own, on a free port in a temporary folder (never the machine's)."""

    def __init__(self, directory: Path):
        self.directory, self.port, self.process = directory, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        if shutil.which("redis-server") is None:
            pytest.fail("redis-server is needed (apt-get install redis-server; .ci/run installs it).")
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("The test's redis-server did not start.")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


class Broker:
    """The broker a fault test breaks: the filesystem broker's folder (made unwritable) on the default
    setup, or a redis-server of the test's own (stopped) when the suite runs on Redis."""

    def __init__(self, tmp_path: Path):
        from django.conf import settings

        self.redis = None
        self.env: dict[str, str] = {}
        if settings.CELERY_BROKER_URL.startswith("redis"):
            self.redis = OwnRedis(tmp_path)
            self.redis.start()
            self.env = {"CELERY_BROKER_URL": self.redis.url}
            self._point_app_at(self.redis.url)
        else:
            self.folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_out"])

    @staticmethod
    def _point_app_at(url: str) -> None:
        from config.celery import app

        # Celery reads the CELERY_BROKER_URL environment variable before its settings (the suite sets it).
        os.environ["CELERY_BROKER_URL"] = url
        app.conf.CELERY_BROKER_URL = url
        # Forget the connection and producer pools, so the next message goes to the new URL.
        from kombu import pools

        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    @contextmanager
    def down(self):
        if self.redis is None:
            with unwritable(self.folder):
                yield
        else:
            self.redis.stop()
            try:
                yield
            finally:
                self.redis.start()

    def close(self) -> None:
        if self.redis is not None:
            from django.conf import settings

            self.redis.stop()
            self._point_app_at(settings.CELERY_BROKER_URL)  # the suite's broker (its environment variable too)
