"""`make bench-load`: locust, headless, against gunicorn on 127.0.0.1 — SQLite, then PostgreSQL + Redis.

    ESSOR_DEMO=1 .venv/bin/python -m bench.load [--size medium] [--users 20,50] [--seconds 20] [--rounds 3]
        [--scenario learner|cohort|both] [--databases sqlite,postgres] [--baseline COMMIT] [--profile] [--warmup 5]

For each database: generate the data set once, copy it for each code tree (this one, and a
baseline commit unpacked with `git archive` when --baseline is given), start them all, then for
each number of users run locust against each tree in turn, `--rounds` times (interleaved, the
order alternating), and print each run and the medians: requests/s, p50/p95/p99 and failures.
SQLite: gunicorn 2 workers × 4 threads, local-memory cache (the default set-up). PostgreSQL
(BENCH_PG_URL, default the essor_bench database, dropped and recreated) with Redis as cache
(BENCH_REDIS_URL, default db 1, flushed): 4 workers × 4 threads. --profile samples one worker of
this code with py-spy during the last run and prints where the time goes.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench import server

HERE = Path(__file__).resolve().parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/essor_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")


def locust(url: str, dataset: Path, users: int, seconds: int, scenario: str, out: Path) -> dict:
    prefix = out / f"locust-{users}-{int(time.time() * 1000)}"
    env = {**os.environ, "ESSOR_BENCH_DATASET": str(dataset), "ESSOR_BENCH_SCENARIO": scenario}
    subprocess.run([sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless", "-u", str(users),
                    "-r", str(users), "-t", f"{seconds}s", "--host", url, "--csv", str(prefix), "--only-summary",
                    "--stop-timeout", "5", "--loglevel", "WARNING"], env=env, check=False, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=seconds + 120)
    with open(f"{prefix}_stats.csv") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    total = rows["Aggregated"]
    return {"rps": round(float(total["Requests/s"]), 1), "p50": float(total["50%"]), "p95": float(total["95%"]),
            "p99": float(total["99%"]), "requests": int(total["Request Count"]), "failures": int(total["Failure Count"]),
            "by_request": {name: {"rps": round(float(r["Requests/s"]), 1), "p50": float(r["50%"]), "p95": float(r["95%"])}
                           for name, r in rows.items() if name != "Aggregated"}}


def profile(pid: int, seconds: int, out: Path) -> list[tuple[str, float]]:
    """py-spy samples of one worker (all threads, idle excluded): the share of samples per function, own and below."""
    raw = out / f"py-spy-{pid}.txt"
    subprocess.run([str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pid), "--duration", str(seconds), "--format", "raw",
                    "--output", str(raw), "--nonblocking", "--rate", "200"], check=False, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    if not raw.exists():
        return []
    inclusive: Counter = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        n = int(count)
        total += n
        seen = set()
        for frame in stack.split(";"):
            name = frame.split(" (")[0] + " " + frame.split("(")[-1].split(":")[0].split("/")[-1] if "(" in frame else frame
            if name not in seen:
                seen.add(name)
                inclusive[name] += n
    return [(name, 100 * n / total) for name, n in inclusive.most_common(60)] if total else []


def _profile_into(holder: dict, pid: int, seconds: int, out: Path) -> None:
    holder["p"] = profile(pid, seconds, out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="medium")
    parser.add_argument("--users", default="20,50")
    parser.add_argument("--seconds", type=int, default=20, help="length of one run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved runs per code tree and number of users")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of unmeasured load on each server first")
    parser.add_argument("--scenario", default="learner", choices=["learner", "cohort", "both"])
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--baseline")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--only-baseline", action="store_true", help="measure the baseline commit alone")
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args(argv)
    results, summary = [], []
    for database in args.databases.split(","):
        var = (args.keep.resolve() / database) if args.keep else Path(tempfile.mkdtemp(prefix=f"essor-load-{database}-"))
        var.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{var}/load.sqlite3" if database == "sqlite" else PG_URL
        dataset = var / f"dataset-{args.size}.json"
        if not dataset.exists():
            server.generate_database(args.size, url, var)
        trees = {"this": server.ROOT}
        if args.baseline:
            trees = {"baseline": server.baseline_tree(args.baseline, var), **({} if args.only_baseline else trees)}
        workers, cache = (2, "") if database == "sqlite" else (4, REDIS_URL)
        if cache:
            subprocess.call(["redis-cli", "-u", cache, "flushdb"], stdout=subprocess.DEVNULL)
        servers, copies, datasets = {}, [], {}
        try:
            # Every tree on its own copy of the data, all up at once: the runs alternate between them.
            for name, tree in trees.items():
                copy = server.copy_database(url, f"{'load' if database == 'sqlite' else url.rsplit('/', 1)[1]}_{name}")
                copies.append(copy)
                datasets[name] = dataset if name == "this" else var / f"dataset-{args.size}-{name}.json"
                if name != "this":
                    server.compat_dataset(copy, var, dataset, datasets[name])
                servers[name] = server.Server(name, tree, copy, var, workers=workers, threads=4, cache_url=cache)
            # Unmeasured: each server's first seconds (the search dictionary loading beside the first requests,
            # templates compiled, connections opened) are not its steady state, and only the first tree run had them.
            for name, srv in servers.items():
                if args.warmup:
                    locust(srv.url, datasets[name], max(int(u) for u in args.users.split(",")), args.warmup, args.scenario, var)
            for users in [int(u) for u in args.users.split(",")]:
                runs: dict[str, list[dict]] = {name: [] for name in servers}
                for round_ in range(args.rounds):
                    order = list(servers) if round_ % 2 == 0 else list(reversed(servers))
                    for name in order:
                        srv = servers[name]
                        spy = None
                        if (args.profile and round_ == args.rounds - 1 and (name == "this" or args.only_baseline)
                                and users == max(int(u) for u in args.users.split(","))):
                            from threading import Thread

                            children = subprocess.check_output(["pgrep", "-P", str(srv.process.pid)], text=True).split()
                            holder: dict = {}
                            spy = Thread(target=_profile_into, args=(holder, int(children[0]), max(5, args.seconds - 5), var))
                            spy.start()
                        result = locust(srv.url, datasets[name], users, args.seconds, args.scenario, var)
                        if spy:
                            spy.join()
                            result["profile"] = holder.get("p", [])
                        result.update(database=database, code=name, users=users, round=round_ + 1, workers=workers, threads=4,
                                      scenario=args.scenario)
                        results.append(result)
                        runs[name].append(result)
                        print(f"{database:<9}{name:<9}{users:>4} users  round {round_ + 1}  {result['rps']:>7.1f} req/s  "
                              f"p50 {result['p50']:>6.0f} ms  p95 {result['p95']:>6.0f} ms  p99 {result['p99']:>6.0f} ms  "
                              f"failures {result['failures']}/{result['requests']}", flush=True)
                        if result.get("profile"):
                            print("  where the time goes (share of samples, inclusive):")
                            for function, share in result["profile"]:
                                print(f"    {share:5.1f} %  {function}")
                for name, mine in runs.items():
                    line = {"database": database, "code": name, "users": users, "rounds": len(mine),
                            **{key: statistics.median(r[key] for r in mine) for key in ("rps", "p50", "p95", "p99")},
                            "failures": sum(r["failures"] for r in mine), "requests": sum(r["requests"] for r in mine)}
                    summary.append(line)
        finally:
            for srv in servers.values():
                srv.stop()
            for copy in copies:
                server.drop_database(copy)
    print(f"\nmedians of interleaved rounds ({args.rounds} × {args.seconds} s each), {args.scenario} flow")
    for line in summary:
        ratio = ""
        base = next((b for b in summary if b["code"] == "baseline" and b["database"] == line["database"]
                     and b["users"] == line["users"]), None)
        if base and line["code"] == "this":
            ratio = f"  ×{line['rps'] / base['rps']:.2f} req/s vs baseline"
        print(f"{line['database']:<9}{line['code']:<9}{line['users']:>4} users  {line['rps']:>7.1f} req/s  p50 {line['p50']:>6.0f} ms  "
              f"p95 {line['p95']:>6.0f} ms  p99 {line['p99']:>6.0f} ms  failures {line['failures']}/{line['requests']}{ratio}")
    (HERE / "load-results.json").write_text(json.dumps({"summary": summary, "runs": results}, indent=2) + "\n")
    return 0 if all(r["failures"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
