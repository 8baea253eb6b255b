"""Search on the shipped curriculum: loading jieba's dictionary, indexing everything (search_reindex),
and the test queries (time, SQL queries, what they find), on SQLite or, with BENCH_DATABASE_URL, PostgreSQL.

    ESSOR_DEMO=1 .venv/bin/python -m bench.search
"""
import statistics
import time

from bench.setup import bench_setup, measure, report

QUERIES = [("现金流", "zh-hans"), ("志愿者保险", "zh-hans"), ("trésorerie", "fr"), ("tresorerie", "fr"),
           ("trésorerie", "zh-hans"), ("benevoles", "fr"), ("budget", "fr"), ("insurance volunteers", "en")]


def main() -> None:
    bench_setup()
    from django.conf import settings
    from django.db import connection

    from courses.content_files import content_import, content_read
    from search.selectors import search_matches, search_results
    from search.services import search_reindex
    from search.text import warm_up

    # Wall time, and this process's CPU time (the fairer number on a machine shared with other jobs).
    started, cpu = time.perf_counter(), time.process_time()
    warm_up()
    print(f"jieba's dictionary loaded in {time.perf_counter() - started:.2f} s, {time.process_time() - cpu:.2f} s CPU "
          "(once per process)")
    started = time.perf_counter()
    content_import(content_read(settings.CONTENT_DIR), publish=True)
    print(f"content/ imported (rendering, history and index rows included) in {time.perf_counter() - started:.2f} s")

    runs, cpu_runs = [], []
    for _ in range(5):
        cpu = time.process_time()
        outcome = search_reindex()
        runs.append(outcome.seconds)
        cpu_runs.append(time.process_time() - cpu)
    print(f"search_reindex of the whole curriculum ({outcome.documents} documents, {connection.vendor}): "
          f"median {statistics.median(runs):.2f} s, best {min(runs):.2f} s over {len(runs)} runs; "
          f"CPU median {statistics.median(cpu_runs):.2f} s")

    results: list = []
    found = {}
    for query, reader in QUERIES:
        warm = search_matches(query=query, reader_language=reader)  # warm caches (stemmer, jieba, URL resolver)
        search_results(matches=warm, hits=warm.hits[:20], user=None)
        with measure(f"{query} ({reader} reader): match + first page", results):
            matches = search_matches(query=query, reader_language=reader)
            page = search_results(matches=matches, hits=matches.hits[:20], user=None)
        found[(query, reader)] = [f"{r.module_slug}/{r.lesson_slug or '-'} [{r.language}]" for r in page]
    report(f"Search queries ({connection.vendor})", results)
    for (query, reader), items in found.items():
        print(f"\n{query} ({reader} reader): {len(items)} results")
        for item in items:
            print(f"  {item}")


if __name__ == "__main__":
    main()
