"""Benchmark a large synthetic vault: the floor, a full build, rebuilds; write bench/RESULTS.md."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import shapes
from bench.vault import write_vault
from notes2anki.identity.ledger import LEDGER_NAME

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "RESULTS.md"
MEMORY_LIMIT_MB = 400
SAMPLE_SECONDS = 0.25  # reading Pss walks page tables: often enough, and cheap


@dataclass(frozen=True)
class Step:
    """One timed process: its wall time and peak memory."""

    name: str
    seconds: float
    peak_mb: float


def run_step(name: str, arguments: list[str], reset: Callable[[], None] = lambda: None) -> Step:
    """Run bench/step.py twice from the same state: once timed, once for its peak memory."""
    # Reading the memory of every process walks its page tables: on two busy cores that slowed
    # a full build by about 5 %. The timed run is left alone; an identical one is watched.
    reset()
    os.sync()  # what reset copied is on disk before the clock starts, not written meanwhile
    seconds = _run(name, arguments, watch=False)[0]
    reset()
    return Step(name, seconds, _run(name, arguments, watch=True)[1])


def _run(name: str, arguments: list[str], watch: bool) -> tuple[float, float]:
    """Run bench/step.py with arguments in a fresh process: its wall time and peak memory."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [sys.executable, str(HERE / "step.py"), *arguments],
            stdout=subprocess.DEVNULL,
            stderr=errors,
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        )
        # The build may compile on several processes: their memory counts together.
        sampled = 0.0
        while watch and process.poll() is None:
            sampled = max(sampled, _tree_mb(process.pid))
            time.sleep(SAMPLE_SECONDS)
        process.wait()
        seconds = time.perf_counter() - start
        errors.seek(0)
        stderr = errors.read().decode(errors="replace")
    if process.returncode != 0:
        raise SystemExit(f"{name} failed:\n{stderr}")
    peak = json.loads(stderr.strip().splitlines()[-1])["peak_mb"]
    return seconds, max(peak, sampled)


def _tree_mb(pid: int) -> float:
    """Sum the proportional set size of a process and all its descendants, in MB."""
    # Pss shares each page among the processes mapping it, so forked workers are not counted
    # twice for the pages they share with their parent.
    total_kb = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kb += int(line.split()[1])
                    break
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue  # the process ended between two reads, or /proc is not there
    return total_kb / 1024


def main() -> int:
    """Generate the vault, run the steps, print the table and record it."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--no-record", action="store_true", help="do not write bench/RESULTS.md")
    parser.add_argument(
        "--shape-facts", type=int, default=2500, help="facts of the smaller awkward notes"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="notes2anki-scale-") as scratch:
        work = Path(scratch)
        notes = write_vault(work / "notes", args.files, args.items)
        size_mb = sum(path.stat().st_size for path in notes.glob("*.md")) / 1e6
        dist, ledger = work / "dist", notes / LEDGER_NAME
        build = ["build", str(notes), "-o", str(dist), "--quiet"]
        floor = run_step(
            "floor",
            ["floor", str(notes), str(work / "floor")],
            lambda: shutil.rmtree(work / "floor", ignore_errors=True),
        )

        def first_build() -> None:
            shutil.rmtree(dist, ignore_errors=True)
            ledger.unlink(missing_ok=True)

        full = run_step("full build", build, first_build)
        unchanged = run_step("unchanged rebuild", build)
        # The state one file's change is made in, kept to be made again.
        first = sorted(notes.glob("*.md"))[0]
        text = first.read_text(encoding="utf-8")
        shutil.copytree(dist, work / "kept" / "dist")
        shutil.copy2(ledger, work / "kept" / LEDGER_NAME)

        def change_one_file() -> None:
            shutil.rmtree(dist)
            shutil.copytree(work / "kept" / "dist", dist)
            shutil.copy2(work / "kept" / LEDGER_NAME, ledger)
            added = "\nAdded later\n1. Fresh fact - written after the first build\n"
            first.write_text(text + added, encoding="utf-8")

        one_file = run_step("one file changed", build, change_one_file)
    table = _table([floor, full, unchanged, one_file], floor, full)
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}"
    )
    vault = f"{args.files} files, {args.items:,} list items, {size_mb:.1f} MB"
    header = f"Vault: {vault}. Machine: {machine}."
    growth = shapes.table(args.shape_facts, shapes.measure(args.shape_facts))
    print(header)
    print(table, growth, sep="\n\n")
    if not args.no_record:
        # Everything from "## Notes" on is written by hand and kept.
        existing = RESULTS.read_text(encoding="utf-8") if RESULTS.is_file() else ""
        kept = existing[existing.index("## Notes") :] if "## Notes" in existing else ""
        RESULTS.write_text(
            "# Benchmark results\n\n"
            "`make bench` (bench/scale.py) on a synthetic vault (bench/vault.py): headings,\n"
            "pseudo-headings, term/definition items, figures and comparison sections. Each step\n"
            "is a fresh process; times are wall times including start-up. The floor is\n"
            "markdown-it-py parsing every file plus genanki writing one note per list item.\n"
            "Each step runs twice from the same state: once timed, once watched for its peak\n"
            "memory, the larger of the process's own peak resident size and the summed\n"
            "proportional size (Pss) of it and its worker processes, sampled four times a\n"
            "second (reading Pss walks page tables, which slowed a timed build by about 5 %).\n\n"
            f"{header}\n\n{table}\n\n"
            "No step grows faster than the facts: notes of awkward shapes built at two sizes,\n"
            "each a fresh process (for the last, the rebuild after half of its facts changed).\n\n"
            f"{growth}\n" + (f"\n{kept}" if kept else ""),
            encoding="utf-8",
        )
    return 0


def _table(steps: list[Step], floor: Step, full: Step) -> str:
    targets = {
        "full build": ("≤ 2x floor", full.seconds <= 2 * floor.seconds),
        "unchanged rebuild": ("≤ 0.25x full", steps[2].seconds <= 0.25 * full.seconds),
        "one file changed": ("≤ 0.3x full", steps[3].seconds <= 0.3 * full.seconds),
    }
    rows = [
        "| step | seconds | x floor | x full build | peak MB | target | met |",
        "| --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for step in steps:
        target, met = targets.get(step.name, ("", True))
        memory_ok = step.name == "floor" or step.peak_mb < MEMORY_LIMIT_MB
        verdict = "yes" if met and memory_ok else "no"
        rows.append(
            f"| {step.name} | {step.seconds:.1f} | {step.seconds / floor.seconds:.2f} | "
            f"{step.seconds / full.seconds:.2f} | {step.peak_mb:.0f} | "
            f"{target}{'; ' if target else ''}< {MEMORY_LIMIT_MB} MB | {verdict} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
