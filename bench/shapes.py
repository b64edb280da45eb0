"""Check that no step grows faster than the facts: notes of awkward shapes at two sizes."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.vault import WORDS

REPO = Path(__file__).resolve().parent.parent
# Four times the facts may take at most this many times as long: linear work takes four
# times as long or less (start-up does not grow), work that grows with the square sixteen.
MAX_GROWTH = 5.0


@dataclass(frozen=True)
class Shape:
    """Notes of one shape: how to write them for a number of facts, and how to edit them."""

    name: str
    write: Callable[[random.Random, int], list[str]]
    edit: Callable[[list[str]], list[str]] | None = None  # then the rebuild after it is timed


def _phrase(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def _glossary(rng: random.Random, facts: int) -> list[str]:
    return ["# Glossary", ""] + [
        f"- Term{n} {_phrase(rng, 1)} - {_phrase(rng, 8)}" for n in range(facts)
    ]


def _half_edited(lines: list[str]) -> list[str]:
    return [line + " and more" if number % 2 else line for number, line in enumerate(lines)]


SHAPES = (
    Shape("one section of term pairs", _glossary),
    Shape(
        "one section of sentences",
        lambda rng, n: (
            ["# S", ""]
            + [f"- {_phrase(rng, 10).capitalize()} {i} with KMS{i % 50}." for i in range(n)]
        ),
    ),
    Shape(
        "one table",
        lambda rng, n: (
            ["# T", "", "| Code | Place | Size |", "|---|---|---|"]
            + [f"| c{i} | {_phrase(rng, 3)} | {i} GB |" for i in range(n)]
        ),
    ),
    Shape(
        "a heading per fact",
        lambda rng, n: [
            line
            for i in range(n)
            for line in (f"## Part {i}", "", f"- Fact {i} - {_phrase(rng, 6)}", "")
        ],
    ),
    Shape(
        "one comparison",
        lambda rng, n: (
            ["# V", "", "A vs B"]
            + [f"{i + 1}. {'AB'[i % 2]} - {_phrase(rng, 6)} {i}" for i in range(n)]
        ),
    ),
    Shape(
        "one item's children",
        lambda rng, n: (
            ["# U", "", "- Parent - with children"]
            + [f"  - child {i} {_phrase(rng, 6)}" for i in range(n)]
        ),
    ),
    Shape(
        "one line", lambda rng, n: ["# L", "", "- Long - " + " ".join(f"w{i}" for i in range(n))]
    ),
    Shape("the same fact again", lambda rng, n: ["# D", ""] + ["- Same term - same answer"] * n),
    Shape("half of one section edited", _glossary, _half_edited),
)


def measure(facts: int) -> list[tuple[str, float, float]]:
    """Time a build of each shape with some facts and with four times as many."""
    rows = []
    for shape in SHAPES:
        small, large = (_time(shape, count) for count in (facts, 4 * facts))
        rows.append((shape.name, small, large))
    return rows


def _time(shape: Shape, facts: int) -> float:
    """Build notes of a shape in a fresh process; time it, or the rebuild after its edit."""
    lines = shape.write(random.Random(11), facts)
    with tempfile.TemporaryDirectory(prefix="notes2anki-shape-") as scratch:
        notes = Path(scratch) / "notes"
        notes.mkdir()
        (notes / "notes.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        seconds = _build(notes)
        if shape.edit is not None:
            (notes / "notes.md").write_text("\n".join(shape.edit(lines)) + "\n", encoding="utf-8")
            seconds = _build(notes)
    return seconds


def _build(notes: Path) -> float:
    start = time.perf_counter()
    out = notes.parent / "dist"
    subprocess.run(
        [sys.executable, "-m", "notes2anki", "build", str(notes), "-o", str(out), "--quiet"],
        check=True,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    return time.perf_counter() - start


def table(facts: int, rows: list[tuple[str, float, float]]) -> str:
    """Render the measurements as a Markdown table, with whether each grows linearly."""
    lines = [
        f"| notes shaped as | {facts:,} facts (s) | {4 * facts:,} facts (s) | growth | target "
        "| met |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for name, small, large in rows:
        growth = large / small
        met = "yes" if growth <= MAX_GROWTH else "no"
        lines.append(
            f"| {name} | {small:.2f} | {large:.2f} | {growth:.1f}x | ≤ {MAX_GROWTH:g}x | {met} |"
        )
    return "\n".join(lines)
