"""A real LRS for the xAPI tests: Ralph (`ralph runserver -b fs`) from its own virtualenv (.venv-ralph,
`make ralph`), on a free port, with a file-system backend in the test's temporary folder. It can be
stopped and started again on the same port and data (an LRS outage)."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from base64 import b64encode
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
USERNAME, PASSWORD = "essor", "ralph-test-secret"


def ralph_bin() -> Path | None:
    candidate = Path(os.environ.get("RALPH_BIN", ROOT / ".venv-ralph" / "bin" / "ralph"))
    return candidate if candidate.exists() else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Ralph:
    def __init__(self, binary: Path, folder: Path):
        self.binary, self.folder, self.port = binary, folder, free_port()
        self.env = {**os.environ, "RALPH_APP_DIR": str(folder / "app"), "RALPH_RUNSERVER_BACKEND": "fs",
                    "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder / "data")}
        (folder / "data").mkdir(parents=True, exist_ok=True)
        subprocess.run([str(binary), "auth", "-u", USERNAME, "-p", PASSWORD, "-s", "all", "-M", "mailto:lrs@essor.example", "-w"],
                       env=self.env, check=True, capture_output=True, timeout=120)
        self.process = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI"

    def start(self) -> None:
        log = open(self.folder / "ralph.log", "a")  # noqa: SIM115
        self.process = subprocess.Popen(
            [str(self.binary.parent / "python"), str(Path(__file__).with_name("ralph_server.py")), "127.0.0.1", str(self.port)],
            cwd=self.folder, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                self.get("/statements", {"limit": 1})
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        raise RuntimeError("Ralph did not start:\n" + (self.folder / "ralph.log").read_text()[-3000:])

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def get(self, path: str, query: dict | None = None) -> dict:
        from urllib.parse import urlencode

        auth = "Basic " + b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
        request = urllib.request.Request(  # noqa: S310 - a local test server
            self.url + path + ("?" + urlencode(query) if query else ""),
            headers={"X-Experience-API-Version": "1.0.3", "Authorization": auth})
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - a local test server
            return json.loads(response.read())

    def statements(self) -> list[dict]:
        return self.get("/statements", {"limit": 1000})["statements"]


@pytest.fixture
def ralph(tmp_path, settings):
    binary = ralph_bin()
    if binary is None:
        pytest.skip("Ralph is not installed: run `make ralph` (a virtualenv in .venv-ralph) or set RALPH_BIN.")
    server = Ralph(binary, tmp_path / "ralph")
    server.start()
    settings.XAPI_LRS_URL, settings.XAPI_LRS_USERNAME, settings.XAPI_LRS_PASSWORD = server.url, USERNAME, PASSWORD
    settings.XAPI_LRS_TIMEOUT = 5
    try:
        yield server
    finally:
        server.stop()
