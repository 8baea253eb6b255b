"""Timing pages over HTTP on 127.0.0.1, interleaved across servers, medians.

A sync gunicorn worker (1 process, 1 thread) answers one request at a time, so the time a client
on the loopback sees is the server's time plus a fraction of a millisecond."""
from __future__ import annotations

import http.client
import statistics
import time


def cpu_seconds(pid: int | None) -> float:
    """CPU time a process has run, in seconds (Linux /proc/<pid>/schedstat, nanoseconds)."""
    if pid is None:
        return 0.0
    with open(f"/proc/{pid}/schedstat") as handle:
        return int(handle.read().split()[0]) / 1e9


class Client:
    """Keep-alive HTTP client; with `worker_pid` (a 1-worker, 1-thread gunicorn) it also measures the
    CPU time the server spent on each request: steadier than the wall time on a loaded machine."""

    def __init__(self, url: str, session: str = "", worker_pid: int | None = None):
        host, port = url.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=120)
        self.headers = {"Cookie": f"sessionid={session}"} if session else {}
        self.worker_pid = worker_pid
        self.last_cpu = 0.0

    def get(self, path: str) -> tuple[int, bytes, float]:
        cpu = cpu_seconds(self.worker_pid)
        start = time.perf_counter()
        self.connection.request("GET", path, headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - start
        self.last_cpu = cpu_seconds(self.worker_pid) - cpu
        return response.status, body, elapsed


def interleaved(clients: dict[str, Client], paths: dict[str, str], rounds: int, warmup: int = 2,
                cpu: dict | None = None) -> dict[tuple[str, str], list[float]]:
    """{(server, page): [seconds…]}: every round asks every page of every server once, in turn.
    `cpu`, when given, receives the server's CPU seconds per request the same way."""
    times: dict[tuple[str, str], list[float]] = {}
    for n in range(warmup + rounds):
        for page, path in paths.items():
            for name, client in clients.items():
                status, body, seconds = client.get(path)
                if status != 200:
                    raise RuntimeError(f"{name} {path}: HTTP {status}: {body[:300]!r}")
                if n >= warmup:
                    times.setdefault((name, page), []).append(seconds)
                    if cpu is not None:
                        cpu.setdefault((name, page), []).append(client.last_cpu)
    return times


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000
