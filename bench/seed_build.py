"""Time `python build_deck.py` on the default notes: process wall time, median of several runs."""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 1.0


def main() -> int:
    """Run the timed builds and print the result; exit 1 when the median misses the target."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="notes2anki-bench-") as scratch:
        work = Path(scratch)
        shutil.copytree(REPO / "notes", work / "notes")
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, str(REPO / "build_deck.py"), "--quiet"], cwd=work, check=True
            )
            times.append(time.perf_counter() - start)
    median = statistics.median(times)
    python = f"{platform.python_implementation()} {platform.python_version()}"
    print(f"machine: {platform.machine()}, {python}")
    print("runs: " + ", ".join(f"{t:.3f} s" for t in times))
    print(f"median wall time of `python build_deck.py` on notes/: {median:.3f} s")
    print(f"target: under {TARGET_SECONDS} s")
    return 0 if median < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
