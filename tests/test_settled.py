"""Rebuilds that reuse unchanged files' notes write what a build reading everything writes."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from bench.vault import write_vault

from notes2anki.building import reuse
from notes2anki.building.pipeline import BuildOptions, build
from notes2anki.cli import main
from tests.helpers import CompiledFiles


def _sections(path: Path) -> list[str]:
    """Split a vault file into its heading and its sections, each a block of lines."""
    return path.read_text(encoding="utf-8").split("\n\n")


def _append_fact(notes: Path) -> None:
    with (notes / "topic-001.md").open("a", encoding="utf-8") as stream:
        stream.write("\nAdded later\n1. Fresh fact - written after the first build was made\n")


def _edit_a_fact(notes: Path) -> None:
    path = notes / "topic-002.md"
    text = path.read_text(encoding="utf-8")
    line = next(line for line in text.split("\n") if line.startswith("3. "))
    path.write_text(text.replace(line, line + " and one more word"), encoding="utf-8")


def _remove_a_file(notes: Path) -> None:
    (notes / "topic-003.md").unlink()


def _rename_a_file(notes: Path) -> None:
    (notes / "topic-002.md").rename(notes / "renamed.md")


def _add_a_file(notes: Path) -> None:
    (notes / "zz-new.md").write_text(
        "# A New Topic\n\nFresh Section\n1. Brand new term - a fact no file had before\n",
        encoding="utf-8",
    )


def _move_a_section(notes: Path) -> None:
    source, target = notes / "topic-001.md", notes / "topic-002.md"
    parts = _sections(source)
    moved = parts.pop(1)
    source.write_text("\n\n".join(parts), encoding="utf-8")
    with target.open("a", encoding="utf-8") as stream:
        stream.write(f"\n\n{moved}\n")


def _copy_a_section_before(notes: Path) -> None:
    # A file named to come first, repeating another file's heading and section: its cards are
    # the same cards, and the earlier file keeps them.
    parts = _sections(notes / "topic-002.md")
    (notes / "aa-copy.md").write_text(f"{parts[0]}\n\n{parts[1]}\n", encoding="utf-8")


def _copy_a_section_after(notes: Path) -> None:
    # Named to come last: its copies of another file's cards are left out, with a warning.
    parts = _sections(notes / "topic-000.md")
    (notes / "zz-copy.md").write_text(f"{parts[0]}\n\n{parts[1]}\n", encoding="utf-8")


def _edit_the_ledger(notes: Path) -> None:
    ledger = notes / "notes2anki.lock"
    ledger.write_text(ledger.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def _edit_the_config(notes: Path) -> None:
    # What every file's cards depend on: the notes settled by the build before are not read.
    with (notes / "deck.toml").open("a", encoding="utf-8") as stream:
        stream.write("# a comment changes nothing the cards show\n")


# Each edit; whether a rebuild may reuse the unchanged files' notes after it; the files it
# compiles (the others' cards are read back from the cache).
EDITS: dict[str, tuple[Callable[[Path], None], bool, list[str]]] = {
    "append a fact": (_append_fact, True, ["topic-001.md"]),
    "edit a fact": (_edit_a_fact, True, ["topic-002.md"]),
    "remove a file": (_remove_a_file, True, []),
    "rename a file": (_rename_a_file, True, ["renamed.md"]),
    "add a file": (_add_a_file, True, ["zz-new.md"]),
    "move a section to another file": (_move_a_section, True, ["topic-001.md", "topic-002.md"]),
    "copy a section into an earlier file": (_copy_a_section_before, False, ["aa-copy.md"]),
    "copy a section into a later file": (_copy_a_section_after, True, ["zz-copy.md"]),
    "edit the ledger": (_edit_the_ledger, False, []),
    "edit the config": (_edit_the_config, False, [f"topic-00{n}.md" for n in range(4)]),
}


@pytest.mark.parametrize("edit", EDITS)
def test_a_rebuild_that_reuses_unchanged_files_matches_a_build_that_reads_all(
    edit: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    notes = write_vault(tmp_path / "notes", files=4, items=240)
    build(BuildOptions(notes, tmp_path / "out"))
    change, reusable, recompiled = EDITS[edit]
    change(notes)
    twin = tmp_path / "twin"
    shutil.copytree(notes, twin)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000100")
    ledgers_read: list[Path] = []
    real_load = reuse.load_ledger

    def load_ledger(notes_dir: Path, name: str) -> object:
        ledgers_read.append(notes_dir)
        return real_load(notes_dir, name)

    monkeypatch.setattr(reuse, "load_ledger", load_ledger)
    compiled = CompiledFiles(tmp_path / "compiled.txt")
    compiled.watch(monkeypatch)
    rebuilt = build(BuildOptions(notes, tmp_path / "out"))
    assert compiled.paths() == recompiled
    # The twin has no cache beside its output: it reads every file and the whole ledger.
    whole = build(BuildOptions(twin, tmp_path / "whole"))
    assert ledgers_read == ([twin] if reusable else [notes, twin])
    assert rebuilt.deck_path.read_bytes() == whole.deck_path.read_bytes()
    assert (notes / "notes2anki.lock").read_bytes() == (twin / "notes2anki.lock").read_bytes()
    assert rebuilt.changes == whole.changes
    assert rebuilt.summary == whole.summary
    assert rebuilt.notes == whole.notes


def test_a_file_changed_back_and_forth_keeps_its_notes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    notes = write_vault(tmp_path / "notes", files=3, items=150)
    first = build(BuildOptions(notes, tmp_path / "out"))
    path = notes / "topic-001.md"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("1. ", "1. Now ", 1), encoding="utf-8")
    build(BuildOptions(notes, tmp_path / "out"))
    path.write_text(original, encoding="utf-8")
    back = build(BuildOptions(notes, tmp_path / "out"))
    assert {note.guid for note in back.notes} == {note.guid for note in first.notes}
    assert [note.fields for note in back.notes] == [note.fields for note in first.notes]


def test_a_file_that_lost_cards_to_another_is_read_again_and_gets_them_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    notes = write_vault(tmp_path / "notes", files=3, items=150)
    _copy_a_section_after(notes)
    first = build(BuildOptions(notes, tmp_path / "out"))
    assert any("same" in warning for warning in first.summary.warnings)
    # The copy's cards come back to it once the file it repeats drops them.
    original = notes / "topic-000.md"
    parts = _sections(original)
    original.write_text("\n\n".join([parts[0], *parts[2:]]), encoding="utf-8")
    twin = tmp_path / "twin"
    shutil.copytree(notes, twin)
    rebuilt = build(BuildOptions(notes, tmp_path / "out"))
    whole = build(BuildOptions(twin, tmp_path / "whole"))
    assert not any("same" in warning for warning in rebuilt.summary.warnings)
    assert rebuilt.deck_path.read_bytes() == whole.deck_path.read_bytes()
    assert (notes / "notes2anki.lock").read_bytes() == (twin / "notes2anki.lock").read_bytes()
    assert rebuilt.changes == whole.changes


def test_verbose_names_each_file_reused_or_compiled_and_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = write_vault(tmp_path / "notes", files=3, items=90)
    out = tmp_path / "out"
    assert main(["build", str(notes), "-o", str(out), "--verbose"]) == 0
    first = capsys.readouterr().out
    assert (
        "topic-000.md: compiled: no earlier build with this code, settings and templates" in first
    )
    _edit_a_fact(notes)
    (notes / "topic-new.md").write_text("# New\n\n- Lambda timeout: 15 minutes\n", encoding="utf-8")
    assert main(["build", str(notes), "-o", str(out), "--verbose"]) == 0
    second = capsys.readouterr().out
    assert "topic-002.md: compiled: changed since the last build" in second
    assert "topic-001.md: reused: unchanged since the last build" in second
    assert "topic-new.md: compiled: new since the last build" in second
    assert main(["build", str(notes), "-o", str(out), "--verbose"]) == 0
    assert (
        "nothing it reads changed since the last build: its deck is reused"
        in capsys.readouterr().out
    )
