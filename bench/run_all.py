"""Run every benchmark in bench/ in its own process (each one sets up its own database)."""
import subprocess
import sys
from pathlib import Path

BENCHES = sorted(p.stem for p in Path(__file__).parent.glob("*.py") if p.stem not in {"__init__", "setup", "run_all"})

if __name__ == "__main__":
    failed = 0
    for name in BENCHES:
        print(f"\n===== bench.{name} =====", flush=True)
        failed += subprocess.call([sys.executable, "-m", f"bench.{name}"])
    sys.exit(1 if failed else 0)
