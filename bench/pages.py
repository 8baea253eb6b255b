"""Server-side time of the pages over HTTP, this code next to a baseline commit, in one run.

    ESSOR_DEMO=1 .venv/bin/python -m bench.pages --size medium [--baseline COMMIT] [--rounds 15]
        [--database postgres://postgres@127.0.0.1:5432/essor_perf_bench]

Generates the data set once, copies the database for each server (gunicorn, 1 worker, 1 thread),
asks every page of every server in turn (`--rounds` interleaved rounds after 2 warm-up rounds) and
prints the medians and the ratio this code / baseline.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from pathlib import Path

from bench import http, server


def page_paths(data: dict) -> dict[str, tuple[str, str]]:
    """{page: (path, session)} for every page the issue names, at every cohort size of the data set."""
    staff = data["staff_session"]
    learner = data["learner_sessions"][0]
    module, lesson = data["reader_paths"][0]
    paths: dict[str, tuple[str, str]] = {}
    for label, cohort in data["cohorts"].items():
        if label.startswith("extra"):
            continue
        paths[f"cohort dashboard HTML, {int(label):,} learners"] = (f"/cohorts/{cohort}/", staff)
        paths[f"cohort dashboard API, {int(label):,} learners"] = (f"/api/v1/cohorts/{cohort}/dashboard/", staff)
        paths[f"cohort matrix API (50), {int(label):,} learners"] = (f"/api/v1/cohorts/{cohort}/matrix/?page_size=50", staff)
    paths["lesson reader"] = (f"/learn/{module}/{lesson}/", learner)
    paths["catalogue"] = ("/learn/", learner)
    paths["module page"] = (f"/learn/{module}/", learner)
    paths["learner dashboard"] = ("/learn/dashboard/", learner)
    return paths


def run(size: str, baseline: str | None, rounds: int, database: str | None, keep: Path | None = None) -> dict:
    var = keep.resolve() if keep else Path(tempfile.mkdtemp(prefix="essor-bench-pages-"))
    var.mkdir(parents=True, exist_ok=True)
    url = database or f"sqlite:///{var}/bench-{size}.sqlite3"
    data_file = var / f"dataset-{size}.json"
    data = json.loads(data_file.read_text()) if keep and data_file.exists() else server.generate_database(size, url, var)
    trees = {"this": server.ROOT}
    if baseline:
        trees["baseline"] = server.baseline_tree(baseline, var)
    servers, copies, sessions = {}, [], {}
    if not data_file.exists():
        data_file.write_text(json.dumps(data))
    try:
        for name, tree in trees.items():
            copy = server.copy_database(url, f"{Path(url).stem if url.startswith('sqlite') else url.rsplit('/', 1)[1]}_{name}")
            copies.append(copy)
            mine = data if name == "this" else server.compat_dataset(copy, var, data_file, var / f"dataset-{size}-{name}.json")
            sessions[name] = page_paths(mine)
            servers[name] = server.Server(name, tree, copy, var)
        results, cpu_results = {}, {}
        workers = {name: int(subprocess.check_output(["pgrep", "-P", str(s.process.pid)], text=True).split()[0])
                   for name, s in servers.items()}
        for page in page_paths(data):
            path = sessions["this"][page][0]
            clients = {name: http.Client(s.url, sessions[name][page][1], workers[name]) for name, s in servers.items()}
            cpu: dict = {}
            times = http.interleaved(clients, {page: path}, rounds, cpu=cpu)
            results[page] = {name: round(http.median_ms(times[(name, page)]), 1) for name in servers}
            cpu_results[page] = {name: round(http.median_ms(cpu[(name, page)]), 1) for name in servers}
        return {"size": size, "database": "sqlite" if url.startswith("sqlite") else "postgresql", "rounds": rounds,
                "counts": data["counts"], "pages_ms": results, "pages_server_cpu_ms": cpu_results}
    finally:
        for s in servers.values():
            s.stop()
        for copy in copies:
            server.drop_database(copy)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="medium")
    parser.add_argument("--baseline")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--database")
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the generated data set in")
    args = parser.parse_args(argv)
    out = run(args.size, args.baseline, args.rounds, args.database, args.keep)
    names = list(next(iter(out["pages_ms"].values())))
    for key, title in (("pages_ms", "wall time seen by the client"), ("pages_server_cpu_ms", "CPU time of the server")):
        print(f"\n{out['size']} on {out['database']}, {title}, medians of {out['rounds']} interleaved rounds (ms)")
        print(f"{'page':<46}" + "".join(f"{n:>12}" for n in names) + ("      ratio" if len(names) == 2 else ""))
        for page, values in out[key].items():
            line = f"{page:<46}" + "".join(f"{values[n]:>12.1f}" for n in names)
            if len(names) == 2:
                line += f"{values['this'] / max(values['baseline'], 0.01):>10.2f}×"
            print(line)
    (Path(__file__).resolve().parent / "pages-results.json").write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
