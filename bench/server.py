"""Bench databases and gunicorn servers: a data set generated once, copied for each server, and a
server per code tree (this one, or a baseline commit unpacked with `git archive`), all on 127.0.0.1.

Comparing two versions of the code in one run (same machine, same moment, interleaved requests) is
the only comparison the shared, noisy development machines allow.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
STATIC_STORAGE = "django.contrib.staticfiles.storage.StaticFilesStorage"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def baseline_tree(commit: str, into: Path) -> Path:
    """The code of `commit` unpacked (no git worktree: a plain copy to run, then thrown away)."""
    sha = subprocess.check_output(["git", "rev-parse", commit], cwd=ROOT, text=True).strip()
    tree = into / f"code-{sha[:10]}"
    if not (tree / "manage.py").exists():
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.Popen(["git", "archive", sha], cwd=ROOT, stdout=subprocess.PIPE)
        subprocess.check_call(["tar", "-x", "-C", str(tree)], stdin=archive.stdout)
        archive.wait()
    return tree


def database_env(database_url: str, var_dir: Path, cache_url: str = "") -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "ESSOR_VAR_DIR": str(var_dir), "ESSOR_DEMO": "1",
           "DJANGO_SETTINGS_MODULE": "config.settings", "EMAIL_URL": "locmem://", "CELERY_TASK_ALWAYS_EAGER": "0",
           "ESSOR_STATICFILES_STORAGE": STATIC_STORAGE, "ESSOR_AXES_ENABLED": "0",
           "ESSOR_API_USER_RATE": "1000000/minute", "ESSOR_API_ANON_RATE": "1000000/minute"}
    env.pop("DJANGO_DEBUG", None)
    if cache_url:
        env["CACHE_URL"] = cache_url
    else:
        env.pop("CACHE_URL", None)
    if not database_url.startswith("sqlite"):
        env.setdefault("CELERY_BROKER_URL", "memory://")
    env.pop("CELERY_BROKER_URL", None) if database_url.startswith("sqlite") else None
    return env


def generate_database(size: str, database_url: str, var_dir: Path) -> dict:
    """Migrate and fill a fresh database in a child process (this code); returns the data set's description."""
    var_dir.mkdir(parents=True, exist_ok=True)
    if not database_url.startswith("sqlite"):
        base, _, name = database_url.rpartition("/")
        subprocess.check_call(["psql", base + "/postgres", "-qc", f'DROP DATABASE IF EXISTS "{name}"', "-c",
                               f'CREATE DATABASE "{name}"'], stdout=subprocess.DEVNULL)
    out = var_dir / f"dataset-{size}.json"
    subprocess.check_call([PYTHON, "-m", "bench.generate", size, str(out)], cwd=ROOT, env=database_env(database_url, var_dir))
    return json.loads(out.read_text())


def compat_dataset(database_url: str, var_dir: Path, dataset: Path, out: Path) -> dict:
    """Sessions a baseline commit understands, written into its copy of the database."""
    subprocess.check_call([PYTHON, "-m", "bench.generate", "--compat", str(dataset), str(out)], cwd=ROOT,
                          env=database_env(database_url, var_dir))
    return json.loads(out.read_text())


def copy_database(database_url: str, copy_name: str) -> str:
    """A copy of the bench database for one server (SQLite file copy, PostgreSQL template)."""
    if database_url.startswith("sqlite:///"):
        source = Path(database_url.removeprefix("sqlite:///"))
        target = source.with_name(f"{copy_name}.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            if Path(str(target) + suffix).exists():
                Path(str(target) + suffix).unlink()
        shutil.copyfile(source, target)
        return f"sqlite:///{target}"
    base, _, name = database_url.rpartition("/")
    subprocess.check_call(["psql", base + "/postgres", "-qc", f'DROP DATABASE IF EXISTS "{copy_name}"',
                           "-c", f'CREATE DATABASE "{copy_name}" TEMPLATE "{name}"'], stdout=subprocess.DEVNULL)
    return f"{base}/{copy_name}"


def drop_database(database_url: str) -> None:
    if database_url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(database_url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
        return
    base, _, name = database_url.rpartition("/")
    subprocess.call(["psql", base + "/postgres", "-qc", f'DROP DATABASE IF EXISTS "{name}"'], stdout=subprocess.DEVNULL)


class Server:
    """gunicorn serving one code tree on one database copy."""

    def __init__(self, name: str, tree: Path, database_url: str, var_dir: Path, *, workers: int = 1, threads: int = 1,
                 cache_url: str = ""):
        self.name, self.tree, self.port = name, tree, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = database_env(database_url, var_dir, cache_url)
        env["PYTHONPATH"] = str(tree)
        self.log = (var_dir / f"gunicorn-{name}.log").open("w")
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
             "--threads", str(threads), "--timeout", "120", "--keep-alive", "30"],
            cwd=tree, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                # Any answer will do (/healthz says 503 here: the bench runs no Celery worker).
                urllib.request.urlopen(self.url + "/healthz", timeout=2).read()  # noqa: S310 - our own server on 127.0.0.1
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{name}: gunicorn did not start, see {self.log.name}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


def dataset_dict(dataset) -> dict:
    return asdict(dataset)
