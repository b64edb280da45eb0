"""Shared test helpers: fixture files, compact card and section views, and Anki imports."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from notes2anki.building import workers
from notes2anki.building.units import FileResult, make_cards, read_sections
from notes2anki.cards.rules import select
from notes2anki.model import Document, Item, Kind, SourceFile
from notes2anki.reading.sections import read_document
from notes2anki.reading.subjects import DEFAULT_WORDS
from notes2anki.records import CardSpec

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent
SEED_NOTES = REPO / "notes"
# Where each hostile sweep writes its figures and findings.
SWEEP_REPORTS = REPO / "build" / "sweep"


@dataclass(frozen=True)
class Case:
    """One fixture case: a title, Markdown in, the expected view out, and where it stands."""

    title: str
    source: str
    expected: str
    line: int


def read_cases(name: str, folder: Path = FIXTURES) -> list[Case]:
    """Read a fixture file: title, '.', input, '.', expected, '.', repeated (markdown-it style)."""
    lines = (folder / name).read_text(encoding="utf-8").split("\n")
    cases: list[Case] = []
    index = 0
    while index < len(lines):
        if not lines[index].strip() or index + 1 >= len(lines) or lines[index + 1] != ".":
            index += 1
            continue
        title, start = lines[index], index + 1
        end_input = lines.index(".", start + 1)
        end_expected = lines.index(".", end_input + 1)
        cases.append(
            Case(
                title,
                "\n".join(lines[start + 1 : end_input]),
                "\n".join(lines[end_input + 1 : end_expected]),
                index + 1,
            )
        )
        index = end_expected + 1
    return cases


@dataclass(frozen=True)
class FixtureFile:
    """How a fixture file's cases are read: the view they show, the rules run, vault or not."""

    view: str = "cards"  # or "sections"
    rules: tuple[str, ...] | None = None  # every rule, unless the file names some
    vault: bool = False


def fixture_file(path: Path) -> FixtureFile:
    """Read a fixture file's settings from its first line: `<!-- rules: basic cloze -->`."""
    first = path.read_text(encoding="utf-8").split("\n", 1)[0].strip()
    if not (first.startswith("<!--") and first.endswith("-->")):
        return FixtureFile()
    setting = first.removeprefix("<!--").removesuffix("-->").strip()
    key, _, value = setting.partition(":")
    if key == "view":
        return FixtureFile(view=value.strip())
    if key == "rules":
        return FixtureFile(rules=tuple(value.split()))
    if key == "vault":
        return FixtureFile(vault=True)
    raise AssertionError(f"{path.name}: unknown setting {setting!r}")


def case_view(case: Case, settings: FixtureFile) -> str:
    """Show a case's Markdown as its fixture file asks: sections, or cards."""
    if settings.view == "sections":
        return sections_view(case.source)
    return cards_view(case.source, settings.rules, obsidian=settings.vault)


def sections_view(markdown: str) -> str:
    """Show the section tree of a Markdown text: '## path' lines with indented items."""
    root = read_document(SourceFile("case.md", markdown)).root
    out: list[str] = []

    def item_lines(item: Item, depth: int) -> None:
        out.append(f"{'  ' * depth}- {item.text}")
        for attachment in item.attachments:
            first = attachment.text.split("\n")[0]
            out.append(f"{'  ' * depth}  ~ {attachment.kind} {attachment.language}: {first}")
        for child in item.children:
            item_lines(child, depth + 1)

    for section in root.walk():
        if section.path:
            out.append("## " + " > ".join(section.path))
        for item in section.items:
            item_lines(item, 0)
    return "\n".join(out)


def cards_of(
    markdown: str, rules: tuple[str, ...] | None = None, obsidian: bool = False
) -> tuple[CardSpec, ...]:
    """Run parsing, extraction and the rules over a Markdown text (a note of a vault or not)."""
    root = read_document(SourceFile("case.md", markdown), obsidian).root
    return make_cards(read_sections(root, DEFAULT_WORDS), select(rules))


def card_view(spec: CardSpec) -> str:
    """Show a card on one line: kind, breadcrumb, and its sides in Markdown."""
    crumbs = " > ".join((*spec.section.path, *spec.context))
    if spec.kind is Kind.CLOZE:
        body = "".join(
            f"{{{{c{s.hidden}::{s.markdown}}}}}" if s.hidden else s.markdown for s in spec.segments
        )
    elif spec.kind is Kind.COMPARE and spec.comparison is not None:
        table = spec.comparison.table
        shown = (
            [" | ".join(table.header), *(" | ".join(row) for row in table.rows)]
            if table is not None
            else [
                f"{subject}: {' / '.join(facts) or '-'}" for subject, facts in spec.comparison.rows
            ]
        )
        body = f"{spec.front} => " + " || ".join(shown)
    elif spec.kind is Kind.WHICH:
        body = f"{spec.front} ({' / '.join(spec.choices)}) => {' | '.join(spec.back)}"
    else:
        body = f"{spec.front} => {' | '.join(spec.back)}"
    extra = f" ++ {' | '.join(spec.extra)}" if spec.extra else ""
    return f"{spec.kind.value} [{crumbs}] {body}{extra}"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run this Python with arguments, as a user runs the command, and keep what it printed."""
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def cards_view(markdown: str, rules: tuple[str, ...] | None = None, obsidian: bool = False) -> str:
    """Show every card of a Markdown text, one per line."""
    return "\n".join(card_view(spec) for spec in cards_of(markdown, rules, obsidian))


def copy_notes(source: Path, target: Path) -> Path:
    """Copy a notes folder (without its ledger) so a test can build and edit it freely."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("notes2anki.lock"))
    return target


def apkg_notes(path: Path) -> list[tuple[str, int, str]]:
    """Read (guid, mod, fields) of every note inside an .apkg."""
    with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "c.anki2"
        db.write_bytes(archive.read("collection.anki2"))
        with sqlite3.connect(db) as connection:
            rows = connection.execute("SELECT guid, mod, flds FROM notes ORDER BY id").fetchall()
        connection.close()
    return [(guid, mod, fields) for guid, mod, fields in rows]


_TAGS = re.compile(r"<style>.*?</style>|<[^>]+>", re.DOTALL)


def visible(html: str) -> str:
    """Return what a rendered card shows as text: no stylesheet, no tags."""
    return " ".join(unescape(_TAGS.sub(" ", html)).split())


class CompiledFiles:
    """The files a build compiles, as worker processes compile them too: kept in a file."""

    def __init__(self, record: Path) -> None:
        self.record = record

    def watch(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Record every file compiled from now on, here or in processes forked later."""
        real = workers.compile_file

        def compile_file(document: Document, *rest: Any) -> FileResult:
            with self.record.open("a", encoding="utf-8") as stream:
                stream.write(document.source.path + "\n")
            return real(document, *rest)

        self.record.write_text("", encoding="utf-8")
        monkeypatch.setattr(workers, "compile_file", compile_file)

    def paths(self) -> list[str]:
        """Return the paths compiled so far, in the order they were started."""
        return self.record.read_text(encoding="utf-8").splitlines()
