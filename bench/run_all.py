"""Run every benchmark of this folder, one process each (`make bench`)."""
import pkgutil
import subprocess
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).resolve().parent
    failures = 0
    for module in sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name not in {"run_all", "setup"}):
        print(f"\n== bench.{module}", flush=True)
        failures += subprocess.call([sys.executable, "-m", f"bench.{module}"], cwd=here.parent) != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
