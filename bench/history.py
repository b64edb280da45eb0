"""Replay real histories of notes, version after version, into one real Anki collection.

usage: python -m bench.history [BUNDLE_OR_REPOSITORY ...]   (default: ../shared/histories/*.bundle)

Each bundle is a git history of a notes folder. Its versions are checked out in turn into ONE
notes folder (so the ledger carries over, as it does for a user who commits it), built, and
imported in order into one Anki collection with Anki's own backend. A version without notes
files is not built (a user cannot build an empty folder): the next one is built over it.

Per bundle it prints:
- lost identities: notes a version adds whose text (first fields, marks taken out) is the text,
  or 90 % or more alike, of a note of the same kind the collection holds but the deck no longer
  does: the same fact under a new GUID, its reviews left behind;
- moved GUIDs: notes whose text changed to another while another note of the deck now says
  what they said: the GUID went to a different fact, and the card a user knows teaches another;
- the ledger's bytes per note it keeps (in the deck or retired) and per note in the deck, and
  the ledger lines each build changed against the notes it added, changed or removed.
"""

from __future__ import annotations

import argparse
import difflib
import html
import json
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition

from notes2anki.building.pipeline import BuildOptions, build

T = TypeVar("T")
HERE = Path(__file__).resolve().parent
HISTORIES = HERE.parent.parent / "shared" / "histories"
LEDGER = "notes2anki.lock"
ALIKE = 0.9  # texts this alike say the same fact
_NOTES_FILES = (":(glob)**/*.md", ":(glob)*.md")
_MARKUP = re.compile(r"<[^>]+>|\{\{c\d+::|::[^}]*\}\}|\}\}")
_IF_NEWER = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER


@dataclass
class Replay:
    """What one bundle's replay counted."""

    name: str
    versions: int = 0
    built: int = 0
    notes: int = 0
    added: int = 0
    lost: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    # The ledger's bytes per note it keeps (in the deck or retired), and per note in the deck.
    bytes_per_note: list[float] = field(default_factory=list)
    bytes_per_deck_note: list[float] = field(default_factory=list)
    lines_changed: list[int] = field(default_factory=list)
    notes_touched: list[int] = field(default_factory=list)


def plain(text: str) -> str:
    """Return a field's words: no markup, no cloze marks, spacing and case folded."""
    return " ".join(html.unescape(_MARKUP.sub(" ", text)).casefold().split())


def deck_notes(apkg: Path) -> dict[str, tuple[str, str]]:
    """Read each note of a deck file: GUID → (notetype id, its first two fields as words)."""
    with zipfile.ZipFile(apkg) as archive, tempfile.TemporaryDirectory() as scratch:
        names = archive.namelist()
        name = "collection.anki21" if "collection.anki21" in names else "collection.anki2"
        archive.extract(name, scratch)
        connection = sqlite3.connect(Path(scratch) / name)
        rows = connection.execute("SELECT guid, mid, flds FROM notes").fetchall()
        connection.close()
    return {
        guid: (str(mid), plain(" | ".join(fields.split("\x1f")[:2]))) for guid, mid, fields in rows
    }


def alike(one: str, other: str) -> bool:
    """Tell whether two texts say the same: equal, or at least ALIKE by difflib's ratio."""
    if one == other:
        return True
    matcher = difflib.SequenceMatcher(None, one, other, autojunk=False)
    return (
        matcher.real_quick_ratio() >= ALIKE
        and matcher.quick_ratio() >= ALIKE
        and matcher.ratio() >= ALIKE
    )


def history_name(bundle: Path) -> str:
    """Name a history: a bundle by its file, a repository by its folder."""
    return bundle.stem if bundle.suffix == ".bundle" else bundle.resolve().parent.name


def checkouts(bundle: Path, work: Path, notes: Path) -> Iterator[str | None]:
    """Put each version's notes into one notes folder in turn; yield its commit (None: no notes)."""
    clone = work / "clone"
    # The shared bundles name no HEAD: their branch is "main". A repository clones as it is.
    branch = ["-b", "main"] if bundle.suffix == ".bundle" else []
    subprocess.run(
        ["git", "clone", "-q", "--no-checkout", *branch, str(bundle), str(clone)], check=True
    )
    commits = subprocess.run(
        ["git", "-C", str(clone), "rev-list", "--reverse", "--first-parent", "HEAD"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    notes.mkdir()
    (notes / "deck.toml").write_text(f'name = "{bundle.stem}"\n', encoding="utf-8")
    for commit in commits:
        for old in notes.rglob("*.md"):
            old.unlink()
        # The notes alone: a snapshot of a repository may lack its large binary files. A
        # version without any fails to archive: it has no notes to build.
        archive = subprocess.run(
            ["git", "-C", str(clone), "archive", commit, "--", *_NOTES_FILES],
            check=False,
            capture_output=True,
        )
        if archive.returncode == 0:
            subprocess.run(["tar", "-x", "-C", str(notes)], input=archive.stdout, check=True)
        yield commit if any(notes.rglob("*.md")) else None


def replay(bundle: Path, work: Path) -> Replay:
    """Check out each version of a bundle into one notes folder, build it, import the deck."""
    result = Replay(history_name(bundle))
    notes, out = work / "notes", work / "out"
    collection = Collection(str(work / "collection.anki2"))
    seen: dict[str, tuple[str, str]] = {}  # every note ever imported, as last seen
    previous: dict[str, tuple[str, str]] = {}
    ledger_before = ""
    try:
        for commit in checkouts(bundle, work, notes):
            result.versions += 1
            if commit is None:
                continue
            built = build(BuildOptions(notes, out))
            result.built += 1
            collection.import_anki_package(
                ImportAnkiPackageRequest(
                    package_path=str(built.deck_path),
                    options=ImportAnkiPackageOptions(
                        with_scheduling=False, with_deck_configs=False, update_notes=_IF_NEWER
                    ),
                )
            )
            current = deck_notes(built.deck_path)
            _count(result, commit, current, previous, seen)
            ledger = (notes / LEDGER).read_text(encoding="utf-8")
            size, kept = len(ledger.encode()), len(json.loads(ledger)["notes"])
            result.bytes_per_note.append(size / max(1, kept))
            result.bytes_per_deck_note.append(size / max(1, len(current)))
            diff = difflib.unified_diff(ledger_before.splitlines(), ledger.splitlines(), n=0)
            result.lines_changed.append(
                sum(1 for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---"))
            )
            counts = built.changes
            result.notes_touched.append(
                len(counts.added) + len(counts.changed) + len(counts.removed)
            )
            ledger_before = ledger
            previous = current
            seen.update(current)
        result.notes = len(previous)
    finally:
        collection.close()
    return result


def _count(
    result: Replay,
    commit: str,
    current: dict[str, tuple[str, str]],
    previous: dict[str, tuple[str, str]],
    seen: dict[str, tuple[str, str]],
) -> None:
    """Count a version's new notes, the identities it lost and the GUIDs that moved."""
    new = [guid for guid in current if guid not in seen]
    result.added += len(new)
    # Notes the collection holds that the deck no longer has: what a lost identity leaves.
    orphans: dict[str, list[str]] = {}
    for guid, (kind, text) in seen.items():
        if guid not in current:
            orphans.setdefault(kind, []).append(text)
    for guid in new:
        kind, text = current[guid]
        if any(alike(text, old) for old in orphans.get(kind, ())):
            result.lost.append(f"{commit[:8]} {text[:80]}")
    # A GUID that now says something else, while another note says what it said.
    by_kind: dict[str, list[str]] = {}
    for kind, text in current.values():
        by_kind.setdefault(kind, []).append(text)
    for guid, (kind, text) in current.items():
        before = previous.get(guid)
        if before is None or before[0] != kind or alike(before[1], text):
            continue
        if any(alike(before[1], other) for other in by_kind[kind] if other != text):
            result.moved.append(f"{commit[:8]} {before[1][:60]} -> {text[:60]}")


def report(results: list[Replay]) -> str:
    """Write the replays as a Markdown table."""
    rows = [
        "| history | versions (built) | notes at the end | notes added | lost identities"
        " | moved GUIDs | ledger bytes per note it keeps (end, max) | per note in the deck"
        " (end, max) | ledger lines changed per build (median) | notes touched per build"
        " (median) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for one in results:
        if not one.built:
            rows.append(f"| {one.name} | {one.versions} (0) | no notes to build | | | | | | | |")
            continue
        rows.append(
            f"| {one.name} | {one.versions} ({one.built}) | {one.notes} | {one.added}"
            f" | {len(one.lost)} | {len(one.moved)}"
            f" | {one.bytes_per_note[-1]:.0f}, {max(one.bytes_per_note):.0f}"
            f" | {one.bytes_per_deck_note[-1]:.0f}, {max(one.bytes_per_deck_note):.0f}"
            f" | {statistics.median(one.lines_changed):.0f}"
            f" | {statistics.median(one.notes_touched):.0f} |"
        )
    return "\n".join(rows)


def replay_each(given: list[Path], replay: Callable[[Path, Path], T]) -> list[T]:
    """Replay each history given (the shared bundles when none is), each in a scratch folder."""
    bundles = given or sorted(HISTORIES.glob("*.bundle"))
    if not bundles:
        raise SystemExit(f"no histories in {HISTORIES}")
    results = []
    for bundle in bundles:
        with tempfile.TemporaryDirectory() as work:
            results.append(replay(bundle, Path(work)))
    return results


def main(argv: list[str] | None = None) -> int:
    """Replay each bundle and print what it counted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("bundles", nargs="*", type=Path)
    parser.add_argument("--show", type=int, default=5, help="list this many lost and moved")
    args = parser.parse_args(argv)
    results = replay_each(args.bundles, replay)
    for one in results:
        for line in one.lost[: args.show]:
            print(f"  {one.name}: lost: {line}")
        for line in one.moved[: args.show]:
            print(f"  {one.name}: moved: {line}")
    print(report(results))
    print(
        json.dumps({one.name: {"lost": len(one.lost), "moved": len(one.moved)} for one in results})
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
