"""Timing pages over HTTP on 127.0.0.1, interleaved across servers, medians.

A sync gunicorn worker (1 process, 1 thread) answers one request at a time, so the time a client
on the loopback sees is the server's time plus a fraction of a millisecond."""
from __future__ import annotations

import http.client
import statistics
import time


class Client:
    def __init__(self, url: str, session: str = ""):
        host, port = url.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=120)
        self.headers = {"Cookie": f"sessionid={session}"} if session else {}

    def get(self, path: str) -> tuple[int, bytes, float]:
        start = time.perf_counter()
        self.connection.request("GET", path, headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        return response.status, body, time.perf_counter() - start


def interleaved(clients: dict[str, Client], paths: dict[str, str], rounds: int, warmup: int = 2) -> dict[tuple[str, str], list[float]]:
    """{(server, page): [seconds…]}: every round asks every page of every server once, in turn."""
    times: dict[tuple[str, str], list[float]] = {}
    for n in range(warmup + rounds):
        for page, path in paths.items():
            for name, client in clients.items():
                status, body, seconds = client.get(path)
                if status != 200:
                    raise RuntimeError(f"{name} {path}: HTTP {status}: {body[:300]!r}")
                if n >= warmup:
                    times.setdefault((name, page), []).append(seconds)
    return times


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000
