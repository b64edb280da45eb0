"""Rebuilding after edits: notes keep their identity, Anki updates in place, history survives."""

from __future__ import annotations

import gc
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bench.vault import WORDS, write_vault

from notes2anki.building import workers
from notes2anki.building.pipeline import BuildOptions, BuildResult, build
from notes2anki.identity.ledger import Ledger, load_ledger
from notes2anki.reading.sources import read_sources
from tests.anki_backend import import_deck, open_collection, render_problems, review
from tests.helpers import REPO, CompiledFiles

NOTES_FILE = "aws-dva-c01-notes.md"


@dataclass
class EditedFile:
    """The seed's lines, each remembering the line it stood on, edited like a user would."""

    lines: list[tuple[int | None, str]]
    edited: set[int] = field(default_factory=set)  # original lines whose facts were rewritten
    moved: set[int] = field(default_factory=set)  # original lines whose section moved or renamed

    @classmethod
    def read(cls, path: Path) -> EditedFile:
        text = path.read_text(encoding="utf-8").split("\n")
        return cls([(number, line) for number, line in enumerate(text, start=1)])

    def index(self, original: int) -> int:
        return next(i for i, (number, _) in enumerate(self.lines) if number == original)

    def rewrite(self, original: int, old: str, new: str) -> None:
        i = self.index(original)
        assert old in self.lines[i][1], (original, old)
        self.lines[i] = (original, self.lines[i][1].replace(old, new, 1))
        self.edited.add(original)

    def insert_before(self, original: int, text: str) -> None:
        self.lines.insert(self.index(original), (None, text))

    def delete(self, original: int) -> None:
        del self.lines[self.index(original)]

    def swap(self, first: int, second: int) -> None:
        a, b = self.index(first), self.index(second)
        self.lines[a], self.lines[b] = self.lines[b], self.lines[a]

    def move_block(self, first: int, last: int, before: int) -> None:
        block = [self.lines[self.index(n)] for n in range(first, last + 1)]
        for number in range(first, last + 1):
            del self.lines[self.index(number)]
        at = self.index(before)
        self.lines[at:at] = block
        self.moved.update(range(first, last + 1))

    def new_line_of(self, original: int) -> int | None:
        for i, (number, _) in enumerate(self.lines, start=1):
            if number == original:
                return i
        return None

    def write(self, path: Path) -> None:
        path.write_text("\n".join(line for _, line in self.lines), encoding="utf-8")


def edit_the_seed(path: Path) -> EditedFile:
    """Apply the edits a user makes between two builds, each kind at least once."""
    notes = EditedFile.read(path)
    # Typos fixed in terms, and in a cloze's shown text.
    notes.rewrite(34, "Bustable instance", "Burstable instance")
    notes.rewrite(279, "Route tabels", "Route tables")
    notes.rewrite(120, "Defaut cooldown period", "Default cooldown period")
    # Answers reworded.
    notes.rewrite(230, "hostname to IPv4", "maps a hostname to an IPv4 address")
    notes.rewrite(
        294,
        "connect VPCs privately using AWS network.",
        "connects two VPCs privately over the AWS network.",
    )
    notes.rewrite(425, "Amazon's Serverless platform", "Amazon's serverless container platform")
    notes.rewrite(209, "Muti-node for partitioning", "Multi-node for partitioning")
    notes.rewrite(166, "promoted to its own DB", "promoted to their own DB")
    notes.rewrite(333, "for Versioned buckets", "required for versioned buckets")
    notes.rewrite(523, "CPU and RAM tracked", "CPU and memory tracked")
    # A term and its answer both touched.
    notes.rewrite(
        14, "OnDemand -for uninterrupted work loads", "On-Demand - for uninterrupted workloads"
    )
    # A heading renamed: every fact under it moves to a new section path.
    notes.rewrite(255, "Route53 Healtchecks", "Route 53 health checks")
    notes.moved.update(range(255, 261))
    notes.edited.discard(255)
    # Items inserted at the top of lists.
    notes.insert_before(142, "1. EFS One Zone - keeps data in a single AZ for lower cost")
    notes.insert_before(243, "1. Simple routing records hold one or more IP values per name")
    # Items reordered.
    notes.swap(243, 245)
    notes.swap(287, 288)
    # A section moved under another heading.
    notes.move_block(265, 268, before=292)
    # An item deleted.
    notes.delete(260)
    notes.write(path)
    return notes


@dataclass(frozen=True)
class Identity:
    kind: str
    line: int


def identities(built: BuildResult) -> dict[str, Identity]:
    return {note.guid: Identity(note.kind.value, note.loc.line) for note in built.notes}


def build_into(notes: Path, out: Path) -> BuildResult:
    # Every version's deck stays: the tests import them in turn.
    return build(BuildOptions(notes, out, keep=True))


@pytest.fixture
def two_builds(
    seed_notes: Path, tmp_path: Path
) -> tuple[BuildResult, Ledger, BuildResult, Ledger, EditedFile]:
    first = build_into(seed_notes, tmp_path / "dist")
    before = load_ledger(seed_notes)
    edits = edit_the_seed(seed_notes / NOTES_FILE)
    second = build_into(seed_notes, tmp_path / "dist")
    after = load_ledger(seed_notes)
    return first, before, second, after, edits


def test_guids_survive_edits(
    two_builds: tuple[BuildResult, Ledger, BuildResult, Ledger, EditedFile],
) -> None:
    first, _, second, _, edits = two_builds
    old, new = identities(first), identities(second)
    kept = {"unchanged": [0, 0], "edited": [0, 0]}
    lost: list[str] = []
    for guid, was in old.items():
        line = edits.new_line_of(was.line)
        if line is None:
            assert guid not in new  # the deleted item's notes are gone
            continue
        group = "edited" if was.line in edits.edited | edits.moved else "unchanged"
        kept[group][1] += 1
        now = new.get(guid)
        if now is not None and now == Identity(was.kind, line):
            kept[group][0] += 1
        else:
            lost.append(f"{group} {was.kind} at line {was.line}: now {now}")
    unchanged, edited = kept["unchanged"], kept["edited"]
    assert unchanged[1] > 400 and edited[1] >= 25
    assert unchanged[0] == unchanged[1], lost
    assert edited[0] >= 0.95 * edited[1], lost


def test_version_and_changelog_follow_the_edits(
    two_builds: tuple[BuildResult, Ledger, BuildResult, Ledger, EditedFile], tmp_path: Path
) -> None:
    first, _, second, _, _ = two_builds
    assert (first.version, second.version) == ("1.0.0", "1.0.1")
    assert second.deck_path.name == "aws-dva-c01-1.0.1.apkg"
    changes = second.changes
    added_lines = sorted(int(c.source.rpartition(":")[2]) for c in changes.added)
    assert added_lines and all(line in (142, 244) for line in added_lines)
    assert {c.source for c in changes.removed} == {f"{NOTES_FILE}:260"}
    assert first.deck_path.is_file()  # the earlier version stays beside the new one
    log = (tmp_path / "dist" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert log.startswith("# Changelog: AWS DVA-C01\n\n## 1.0.1 (")
    assert log.index("## 1.0.1") < log.index("## 1.0.0")
    assert f"`{NOTES_FILE}:260`" in log
    assert f"nid:{changes.removed[0].id}" in log
    first_entry = log[log.index("## 1.0.0") :]
    assert "every note is new" in first_entry and "### Added" not in first_entry


def test_unchanged_rebuild_keeps_version_and_bytes(seed_notes: Path, tmp_path: Path) -> None:
    first = build_into(seed_notes, tmp_path / "a")
    second = build_into(seed_notes, tmp_path / "b")
    assert second.version == first.version and not second.changes
    assert second.deck_path.read_bytes() == first.deck_path.read_bytes()
    assert not (tmp_path / "b" / "CHANGELOG.md").exists()


def test_a_new_minor_version_restarts_the_patch(seed_notes: Path, tmp_path: Path) -> None:
    build_into(seed_notes, tmp_path / "a")
    config = seed_notes / "deck.toml"
    config.write_text(config.read_text().replace('version = "1.0"', 'version = "1.1"'))
    assert build_into(seed_notes, tmp_path / "b").version == "1.1.0"


def test_reimport_after_edits_updates_in_place(
    two_builds: tuple[BuildResult, Ledger, BuildResult, Ledger, EditedFile], tmp_path: Path
) -> None:
    first, before, second, after, _ = two_builds
    collection = open_collection(tmp_path)
    try:
        import_deck(collection, first.deck_path)
        # Review the card of a fact that gets a typo fix in its term.
        note_id = collection.find_notes('"Front:Bustable instance"')[0]
        card = collection.get_note(note_id).cards()[0]
        reviewed = review(collection, card)

        log = import_deck(collection, second.deck_path)
        assert log.conflicting == []
        fresh = set(after.notes) - set(before.notes)
        assert set(log.new) == fresh
        unchanged = {
            g
            for g, e in after.notes.items()
            if g in before.notes and before.notes[g].hash == e.hash
        }
        # Anki skips the unchanged notes (logged as duplicates): no mod moved, no edit lost.
        assert set(log.duplicate) == unchanged
        changed = {
            g
            for g, e in after.notes.items()
            if g in before.notes and before.notes[g].hash != e.hash
        }
        assert set(log.updated) == changed

        assert collection.get_note(note_id)["Front"] == "Burstable instance"
        kept = collection.get_card(card.id)
        assert (kept.reps, kept.ivl, kept.due) == (reviewed.reps, reviewed.ivl, reviewed.due)
        # No fact twice: the collection holds every note of v1 (imports never delete) plus the new.
        assert collection.note_count() == len(before.notes) + len(fresh)
        assert render_problems(collection) == []
    finally:
        collection.close()


def test_a_section_moved_to_another_file_keeps_its_notes(seed_notes: Path, tmp_path: Path) -> None:
    build_into(seed_notes, tmp_path / "dist")
    before = load_ledger(seed_notes)
    source = seed_notes / NOTES_FILE
    lines = source.read_text(encoding="utf-8").split("\n")
    start = lines.index("EBS v EFS")
    block = lines[start : start + 5]
    del lines[start : start + 5]
    source.write_text("\n".join(lines), encoding="utf-8")
    (seed_notes / "storage.md").write_text(
        "# Storage\n" + "\n".join(block) + "\n", encoding="utf-8"
    )
    build_into(seed_notes, tmp_path / "dist")
    after = load_ledger(seed_notes)
    moved = [g for g, e in before.notes.items() if e.section.endswith("ebs v efs")]
    assert len(moved) >= 8
    for guid in moved:
        assert after.notes[guid].source.startswith("storage.md:")


def test_builds_in_the_same_second_still_update_in_anki(
    seed_notes: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = build_into(seed_notes, tmp_path / "dist")
    source = seed_notes / NOTES_FILE
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            "hostname to IPv6", "hostname to an IPv6 address"
        ),
        encoding="utf-8",
    )
    second = build_into(seed_notes, tmp_path / "dist")
    collection = open_collection(tmp_path)
    try:
        import_deck(collection, first.deck_path)
        log = import_deck(collection, second.deck_path)
        assert len(log.updated) >= 2 and log.new == []
        note = collection.get_note(collection.find_notes('"Front:AAAA record"')[0])
        assert note["Back"] == "hostname to an IPv6 address"
    finally:
        collection.close()


def test_a_new_stylesheet_is_a_new_version_with_a_changelog_entry(
    seed_notes: Path, tmp_path: Path
) -> None:
    build_into(seed_notes, tmp_path / "dist")
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    with (templates / "anki" / "style.css").open("a", encoding="utf-8") as css:
        css.write(".n2a-prompt { letter-spacing: 0.01em; }\n")
    second = build(BuildOptions(seed_notes, tmp_path / "dist", templates_dir=templates))
    assert second.version == "1.0.1"
    assert set(second.changes.restyled) == {
        "notes2anki Basic",
        "notes2anki Cloze",
        "notes2anki Compare",
    }
    assert not second.changes.added and not second.changes.changed
    log = (tmp_path / "dist" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "notes2anki Basic: new look, same fields" in log


def test_an_unchanged_rebuild_does_no_work_and_matches_a_clean_build(
    seed_notes: Path, tmp_path: Path
) -> None:
    first = build_into(seed_notes, tmp_path / "dist")
    stamp = first.deck_path.stat().st_mtime_ns
    again = build_into(seed_notes, tmp_path / "dist")
    assert again.notes == () and again.version == first.version  # nothing was compiled
    assert again.summary == first.summary
    assert again.deck_path.stat().st_mtime_ns == stamp
    clean = build_into(seed_notes, tmp_path / "clean")
    assert clean.notes and clean.deck_path.read_bytes() == again.deck_path.read_bytes()


def test_any_changed_input_or_damaged_deck_means_a_real_build(
    seed_notes: Path, tmp_path: Path
) -> None:
    first = build_into(seed_notes, tmp_path / "dist")
    (seed_notes / "diagram.png").write_bytes(b"an image the notes might show")
    assert build_into(seed_notes, tmp_path / "dist").notes  # a new file in the folder
    first.deck_path.write_bytes(b"damaged")
    rebuilt = build_into(seed_notes, tmp_path / "dist")
    assert rebuilt.notes and rebuilt.deck_path.read_bytes() != b"damaged"
    config = seed_notes / "deck.toml"
    config.write_text(config.read_text().replace("exam notes.", "exam notes, revised."))
    assert build_into(seed_notes, tmp_path / "dist").notes


def test_a_one_file_change_recompiles_one_file_and_matches_a_clean_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    notes = write_vault(tmp_path / "notes", files=5, items=400)
    build_into(notes, tmp_path / "incremental")
    twin = tmp_path / "twin"
    shutil.copytree(notes, twin)  # the same notes and ledger, but no cache beside its output
    for folder in (notes, twin):
        topic = folder / "topic-002.md"
        topic.write_text(topic.read_text().replace("1. ", "1. Edited - ", 1), encoding="utf-8")
    compiled = CompiledFiles(tmp_path / "compiled.txt")
    compiled.watch(monkeypatch)
    incremental = build_into(notes, tmp_path / "incremental")
    assert compiled.paths() == ["topic-002.md"]
    clean = build_into(twin, tmp_path / "clean")
    assert len(compiled.paths()) == 6  # the clean build compiled every file
    assert incremental.deck_path.read_bytes() == clean.deck_path.read_bytes()
    assert (notes / "notes2anki.lock").read_bytes() == (twin / "notes2anki.lock").read_bytes()


def test_compiling_on_two_processes_writes_the_same_deck_and_ledger_as_on_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    notes = write_vault(tmp_path / "notes", files=6, items=900)
    twin = tmp_path / "twin"
    shutil.copytree(notes, twin)
    assert workers.worker_count(read_sources(notes).files, 2) == 2
    parallel = build(BuildOptions(notes, tmp_path / "parallel", jobs=2))
    serial = build(BuildOptions(twin, tmp_path / "serial", jobs=1))
    assert parallel.summary == serial.summary
    assert parallel.deck_path.read_bytes() == serial.deck_path.read_bytes()
    assert (notes / "notes2anki.lock").read_bytes() == (twin / "notes2anki.lock").read_bytes()


@pytest.mark.parametrize("on_before", [True, False])
def test_a_build_leaves_the_cycle_collector_as_it_found_it(
    seed_notes: Path, tmp_path: Path, on_before: bool
) -> None:
    # A build pauses the collector; a watch session that rebuilds for hours must get it back.
    if on_before:
        gc.enable()
    else:
        gc.disable()
    try:
        build(BuildOptions(seed_notes, tmp_path / "out"))
        assert gc.isenabled() is on_before
    finally:
        gc.enable()


def test_edits_in_a_long_section_keep_every_note(tmp_path: Path) -> None:
    # A glossary of 1,200 terms, edited all over: edited facts are compared with the vanished
    # notes near them or sharing a rare word with them, not with all of them (600 here), and
    # every note keeps its GUID.
    notes = tmp_path / "notes"
    notes.mkdir()
    rng = random.Random(3)
    words = [f"{first}{second}" for first in ("pre", "re", "sub", "out") for second in WORDS[:10]]
    items = [f"- Term{number} - {' '.join(rng.sample(words, 7))}" for number in range(1200)]
    (notes / "glossary.md").write_text("# Glossary\n\n" + "\n".join(items) + "\n")
    build_into(notes, tmp_path / "dist")
    before = load_ledger(notes)
    edited = [
        item.replace("Term", "Tern", 1)  # half the terms: only their places tell them
        if number % 2
        else item + " and more"  # a quarter of the answers
        if number % 4 == 0
        else item
        for number, item in enumerate(items)
    ]
    edited.append(edited.pop(4))  # an edited fact moved far: its term tells it
    (notes / "glossary.md").write_text("# Glossary\n\n" + "\n".join(edited) + "\n")
    result = build_into(notes, tmp_path / "dist")
    assert result.changes.added == () and result.changes.removed == ()
    assert load_ledger(notes).notes.keys() == before.notes.keys()
