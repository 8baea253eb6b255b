"""Child process of the benchmarks: migrate the database named by DATABASE_URL and fill it.

    python -m bench.generate small|medium|large OUT.json
"""
import json
import sys
import time
from dataclasses import asdict


def main() -> int:
    size, out = sys.argv[1], sys.argv[2]
    import django

    django.setup()
    if size == "--compat":  # python -m bench.generate --compat DATASET.json OUT.json
        from bench.data import compat_sessions

        with open(out) as handle:
            data = json.load(handle)
        with open(sys.argv[3], "w") as handle:
            json.dump(compat_sessions(data), handle)
        return 0
    from django.core.management import call_command

    from bench.data import generate

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    dataset = generate(size)
    seconds = time.perf_counter() - started
    with open(out, "w") as handle:
        json.dump({**asdict(dataset), "seconds": round(seconds, 1)}, handle)
    print(f"generated {size} in {seconds:.1f} s: {dataset.counts}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
