"""The ledger diffs as the notes do: small, one line a note, and only the notes that changed."""

from __future__ import annotations

import gzip
import json
import shutil
from difflib import ndiff
from pathlib import Path

import pytest

from notes2anki.building.pipeline import BuildOptions, BuildResult, build
from notes2anki.building.units import CACHE_NAME
from notes2anki.identity.ledger import LEDGER_FORMAT, LEDGER_NAME
from tests.helpers import REPO

SEED_PAGE = "aws-dva-c01-notes.md"
# The seed's ledger as the last release wrote it (format 2), for the seed notes as they are.
FORMAT_2_LEDGER = Path(__file__).parent / "ledgers" / "seed-format2.lock.gz"
BYTES_PER_NOTE = 250


def ledger_lines(notes: Path) -> list[str]:
    return (notes / LEDGER_NAME).read_text(encoding="utf-8").splitlines()


def changed_lines(before: list[str], after: list[str]) -> tuple[list[str], list[str]]:
    """Return the lines a diff takes out and puts in."""
    diff = list(ndiff(before, after))
    return (
        [line[2:] for line in diff if line.startswith("- ")],
        [line[2:] for line in diff if line.startswith("+ ")],
    )


def guid_of_line(line: str) -> str:
    """Return the GUID of a note's line; "" for any other line (a section's, the deck's)."""
    end = line.find('":{')
    return line[1:end] if line.startswith('"') and end > 0 else ""


def rebuild(notes: Path, out: Path, *, cached: bool = True) -> BuildResult:
    if not cached:
        shutil.rmtree(out / CACHE_NAME, ignore_errors=True)
    return build(BuildOptions(notes, out))


@pytest.mark.parametrize("cached", [True, False])
def test_lines_added_above_facts_change_no_line_of_the_ledger(
    seed_notes: Path, tmp_path: Path, cached: bool
) -> None:
    rebuild(seed_notes, tmp_path / "out")
    before = (seed_notes / LEDGER_NAME).read_bytes()
    page = seed_notes / SEED_PAGE
    lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
    # Blank lines and a comment under the title: every fact below now stands three lines lower.
    page.write_text("".join([lines[0], "\n<!-- reviewed -->\n\n", *lines[1:]]), encoding="utf-8")
    result = rebuild(seed_notes, tmp_path / "out", cached=cached)
    assert not result.changes
    assert (seed_notes / LEDGER_NAME).read_bytes() == before


@pytest.mark.parametrize("edit", ["edited", "added", "removed"])
def test_a_fact_edited_added_or_removed_changes_its_line_and_the_deck_record(
    seed_notes: Path, tmp_path: Path, edit: str
) -> None:
    rebuild(seed_notes, tmp_path / "out")
    before = ledger_lines(seed_notes)
    page = seed_notes / SEED_PAGE
    text = page.read_text(encoding="utf-8")
    fact = "2. Routing based on User location"
    assert fact + "\n" in text
    changed = {
        "edited": fact.replace("User location", "the user's location"),
        "added": f"{fact}\n3. Lets content be restricted by country",
        "removed": "",
    }[edit]
    page.write_text(text.replace(fact + "\n", changed + ("\n" if changed else ""), 1), "utf-8")
    result = rebuild(seed_notes, tmp_path / "out")
    out, put = changed_lines(before, ledger_lines(seed_notes))
    assert result.changes
    # Each note the build added, changed or removed takes out or puts in its own line, once;
    # the deck's version record changes too; nothing else does.
    notes_out = [guid_of_line(line) for line in out if guid_of_line(line)]
    notes_in = [guid_of_line(line) for line in put if guid_of_line(line)]
    counted = len(result.changes.added) + len(result.changes.changed) + len(result.changes.removed)
    assert len(notes_in) == counted
    assert len(notes_out) == counted - len(result.changes.added)
    others = [line for line in out + put if not guid_of_line(line)]
    assert others and all(line.startswith('  "deck": ') for line in others)


def test_the_seed_ledger_takes_at_most_250_bytes_a_note(seed_notes: Path, tmp_path: Path) -> None:
    result = rebuild(seed_notes, tmp_path / "out")
    size = (seed_notes / LEDGER_NAME).stat().st_size
    assert size / len(result.notes) <= BYTES_PER_NOTE
    shipped = REPO / "notes" / LEDGER_NAME
    assert shipped.stat().st_size / len(result.notes) <= BYTES_PER_NOTE
    assert len(ledger_lines(seed_notes)) < len(result.notes) + 100  # one line a note


def test_an_older_ledger_is_upgraded_and_every_note_stays_as_it_was(
    seed_notes: Path, tmp_path: Path
) -> None:
    # The seed's users have the ledger the last release wrote: the first build after the
    # upgrade changes no note (same GUID, id and mod time), keeps the version, and writes
    # the new format.
    raw = json.loads(gzip.decompress(FORMAT_2_LEDGER.read_bytes()))
    assert raw["format"] == 2
    (seed_notes / LEDGER_NAME).write_bytes(gzip.decompress(FORMAT_2_LEDGER.read_bytes()))
    result = rebuild(seed_notes, tmp_path / "out")
    assert not result.changes
    assert result.version == raw["deck"]["version"]
    old = raw["notes"]
    assert {note.guid for note in result.notes} == set(old)
    for note in result.notes:
        assert (note.id, note.mod) == (old[note.guid]["id"], old[note.guid]["changed"])
    upgraded = json.loads((seed_notes / LEDGER_NAME).read_text(encoding="utf-8"))
    assert upgraded["format"] == LEDGER_FORMAT
    assert upgraded["notes"].keys() == old.keys()
    # Rebuilt once more, nothing moves: the upgrade is done in one build.
    again = (seed_notes / LEDGER_NAME).read_bytes()
    assert not rebuild(seed_notes, tmp_path / "out").changes
    assert (seed_notes / LEDGER_NAME).read_bytes() == again
