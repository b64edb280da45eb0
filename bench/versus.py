"""Compare a full build of an earlier commit with this tree's, interleaved on one bench vault.

usage: python -m bench.versus COMMIT [--rounds 3] [--files 100] [--items 100000]

On a shared machine timings drift by tens of percent within minutes; only ratios measured in one
run compare. Each round builds the vault's floor, then the earlier commit (checked out into a
temporary git worktree), then this tree, each a fresh process on a fresh copy of the notes; the
best and the median of the rounds are printed, with the medians' time and CPU (user and system,
workers included) as multiples of the floor's.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.earlier import earlier_tree
from bench.vault import write_vault

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def timed(arguments: list[str], source: Path, notes: Path, work: Path) -> tuple[float, float]:
    """Run bench/step.py on a fresh copy of the notes: its wall time and CPU time."""
    copy, out = work / "notes", work / "out"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(notes, copy)
    filled = [part.replace("NOTES", str(copy)).replace("OUT", str(out)) for part in arguments]
    os.sync()  # the copy is on disk before the clock starts
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, str(HERE / "step.py"), *filled],
        check=True,
        cwd=source,
        env={**os.environ, "PYTHONPATH": str(source / "src")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def main() -> int:
    """Build the vault, run the rounds, print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("commit", help="the earlier commit to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="notes2anki-versus-") as scratch:
        work = Path(scratch)
        with earlier_tree(args.commit, work / "earlier") as earlier:
            notes = write_vault(work / "vault", args.files, args.items)
            build = ["build", "NOTES", "-o", "OUT", "--quiet"]
            steps = {
                "floor": (["floor", "NOTES", "OUT"], REPO),
                args.commit: (build, earlier),
                "this tree": (build, REPO),
            }
            runs: dict[str, list[tuple[float, float]]] = {name: [] for name in steps}
            for round_number in range(1, args.rounds + 1):
                for name, (arguments, source) in steps.items():
                    runs[name].append(timed(arguments, source, notes, work))
                    wall, cpu = runs[name][-1]
                    print(f"round {round_number}: {name}: {wall:.1f} s, {cpu:.1f} s CPU")
    # One lucky run makes a best-of misleading on a busy machine: medians are shown beside it.
    print(
        "\n| build | wall s (best, median) | x floor | CPU s (best, median) | x floor CPU |"
        "\n| --- | ---: | ---: | ---: | ---: |"
    )
    floor_wall = statistics.median(wall for wall, _ in runs["floor"])
    floor_cpu = statistics.median(cpu for _, cpu in runs["floor"])
    for name, measured in runs.items():
        walls, cpus = [wall for wall, _ in measured], [cpu for _, cpu in measured]
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        print(
            f"| {name} | {min(walls):.1f}, {wall:.1f} | {wall / floor_wall:.2f} "
            f"| {min(cpus):.1f}, {cpu:.1f} | {cpu / floor_cpu:.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
