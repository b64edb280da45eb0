"""Identity through a history of edits: a fact that leaves the notes and comes back is its note."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from notes2anki.building.pipeline import BuildOptions, BuildResult, build
from notes2anki.identity.entries import RETIRED_SECONDS

NETWORKS = """# Networks

## Transport
- TCP - a reliable, ordered byte stream between two hosts
- UDP - datagrams without delivery guarantees or ordering

## Naming
- DNS - resolves host names to IP addresses
- TTL - how long a resolver may cache an answer
"""
STORAGE = """# Storage

- S3 - object storage with eleven nines of durability
- EBS - block storage attached to one EC2 instance
"""


def notes_of(result: BuildResult) -> dict[str, tuple[str, int]]:
    """Return each note's first field's words by GUID, with its note id."""
    return {note.guid: (note.fields[0], note.id) for note in result.notes}


def guid_of(result: BuildResult, words: str) -> tuple[str, int]:
    """Return the GUID and id of the Basic note whose front holds the words."""
    found = [
        (note.guid, note.id)
        for note in result.notes
        if note.kind.value == "basic" and words in note.fields[0]
    ]
    assert len(found) == 1, (words, found)
    return found[0]


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "networks.md").write_text(NETWORKS, encoding="utf-8")
    (folder / "storage.md").write_text(STORAGE, encoding="utf-8")
    return folder


def before_and_after(
    tmp_path: Path, name: str, before: str, after: str
) -> tuple[BuildResult, BuildResult]:
    """Build a new notes folder of one page, then again with the page rewritten."""
    folder = tmp_path / "notes"
    folder.mkdir()
    page = folder / name
    page.write_text(before, "utf-8")
    first = rebuild(folder, tmp_path / "out")
    page.write_text(after, "utf-8")
    return first, rebuild(folder, tmp_path / "out")


def rebuild(notes: Path, out: Path) -> BuildResult:
    return build(BuildOptions(notes, out))


def without(text: str, line: str) -> str:
    assert line in text
    return text.replace(line, "")


@pytest.mark.parametrize("builds_away", [1, 3])
def test_a_fact_removed_and_restored_gets_its_note_back(
    notes: Path, tmp_path: Path, builds_away: int
) -> None:
    first = rebuild(notes, tmp_path / "out")
    ttl = guid_of(first, "TTL")
    line = "- TTL - how long a resolver may cache an answer\n"
    page = notes / "networks.md"
    page.write_text(without(NETWORKS, line), encoding="utf-8")
    gone = rebuild(notes, tmp_path / "out")
    assert ttl[0] not in notes_of(gone)
    changelog = (tmp_path / "out" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "TTL" in changelog.split("### Removed", 1)[1]  # told as removed, as ever
    for number in range(builds_away - 1):  # other edits meanwhile
        (notes / "storage.md").write_text(STORAGE + f"- EFS{number} - shared files\n", "utf-8")
        rebuild(notes, tmp_path / "out")
    page.write_text(NETWORKS, encoding="utf-8")
    back = rebuild(notes, tmp_path / "out")
    assert guid_of(back, "TTL") == ttl


def test_a_fact_that_comes_back_edited_under_another_heading_gets_its_note_back(
    notes: Path, tmp_path: Path
) -> None:
    first = rebuild(notes, tmp_path / "out")
    dns = guid_of(first, "DNS")
    page = notes / "networks.md"
    page.write_text(without(NETWORKS, "- DNS - resolves host names to IP addresses\n"), "utf-8")
    rebuild(notes, tmp_path / "out")
    # A rewrite puts it in another file, under another heading, a word changed.
    (notes / "names.md").write_text(
        "# Name resolution\n\n- DNS - resolves host names into IP addresses\n", "utf-8"
    )
    back = rebuild(notes, tmp_path / "out")
    assert guid_of(back, "DNS") == dns


def test_a_file_deleted_and_restored_gets_its_notes_back(notes: Path, tmp_path: Path) -> None:
    first = rebuild(notes, tmp_path / "out")
    before = notes_of(first)
    kept = tmp_path / "storage.md"
    shutil.move(notes / "storage.md", kept)
    rebuild(notes, tmp_path / "out")
    # Built again from a fresh output folder too: the ledger alone carries the retired notes.
    # Restored from a copy where one term was edited on the way.
    shutil.move(kept, notes / "storage.md")
    text = (notes / "storage.md").read_text(encoding="utf-8")
    (notes / "storage.md").write_text(text.replace("- EBS -", "- EBS volume -"), "utf-8")
    back = rebuild(notes, tmp_path / "fresh")
    assert set(notes_of(back)) == set(before)
    assert guid_of(back, "EBS volume") == guid_of(first, "EBS")


def test_the_ledger_keeps_retired_notes_for_a_year(
    notes: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = rebuild(notes, tmp_path / "out")
    s3 = guid_of(first, "S3")
    (notes / "storage.md").write_text(
        without(STORAGE, "- S3 - object storage with eleven nines of durability\n"), "utf-8"
    )
    rebuild(notes, tmp_path / "out")
    ledger = json.loads((notes / "notes2anki.lock").read_text(encoding="utf-8"))
    assert ledger["notes"][s3[0]]["r"] == 1700000000
    later = 1700000000 + RETIRED_SECONDS + 1
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(later))
    (notes / "networks.md").write_text(NETWORKS + "- ARP - finds a MAC address\n", "utf-8")
    rebuild(notes, tmp_path / "out")
    ledger = json.loads((notes / "notes2anki.lock").read_text(encoding="utf-8"))
    assert s3[0] not in ledger["notes"]  # gone for good: a fact back now is a new note
    (notes / "storage.md").write_text(STORAGE, encoding="utf-8")
    assert guid_of(rebuild(notes, tmp_path / "out"), "S3") != s3


def test_a_note_stays_with_its_fact_when_another_file_takes_its_key(tmp_path: Path) -> None:
    # Two files hold a line alike under a heading alike: one keeps the note, the other is left
    # out as its copy. When the first renames its heading, the second's line has the key alone.
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.md").write_text("# Intro\n\n- Contents - scaling, caching, queues\n", "utf-8")
    (folder / "b.md").write_text("# Intro\n\n- Contents - consistency, availability\n", "utf-8")
    first = rebuild(folder, tmp_path / "out")
    reviewed = {note.guid: note.fields[1] for note in first.notes if note.kind.value == "basic"}
    assert list(reviewed.values()) == ["scaling, caching, queues"]
    (folder / "a.md").write_text("# Overview\n\n- Contents - scaling, caching, queues\n", "utf-8")
    second = rebuild(folder, tmp_path / "out")
    now = {note.guid: note.fields[1] for note in second.notes if note.kind.value == "basic"}
    guid = next(iter(reviewed))
    # The reviewed note still teaches what it taught; the other line is a note of its own.
    assert now[guid] == "scaling, caching, queues"
    assert sorted(now.values()) == ["consistency, availability", "scaling, caching, queues"]


def test_no_break_spaces_for_spaces_change_no_note(seed_notes: Path, tmp_path: Path) -> None:
    # A commit that turned every space of a file into a no-break space, and its revert.
    first = rebuild(seed_notes, tmp_path / "out")
    page = seed_notes / "aws-dva-c01-notes.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace(" ", "\u00a0"), encoding="utf-8")
    spaced = rebuild(seed_notes, tmp_path / "out")
    assert notes_of(spaced) == notes_of(first)
    assert not spaced.changes  # the deck is the same, card for card
    page.write_text(text, encoding="utf-8")
    assert notes_of(rebuild(seed_notes, tmp_path / "out")) == notes_of(first)


def test_a_heading_renumbered_while_a_fact_in_it_is_edited_keeps_the_facts_note(
    tmp_path: Path,
) -> None:
    # "1. 创建过程" became "2. 创建过程" in the commit that also changed a word of its fact.
    first, second = before_and_after(
        tmp_path,
        "os.md",
        "# Processes\n\n## 1. Creation\n\n"
        "- Process creation - the kernel allocates a process control block and an address space\n"
        "\n## 2. Scheduling\n\n- Round robin - each process runs for one time slice in turn\n",
        "# Processes\n\n## 0. Overview\n\n- Process - a program in execution\n\n## 2. Creation\n\n"
        "- Process creation - the kernel first allocates a PCB and then a fresh address space\n"
        "\n## 3. Scheduling\n\n- Round robin - each process runs for one time slice in turn\n",
    )
    assert guid_of(second, "Process creation") == guid_of(first, "Process creation")


def test_a_note_does_not_go_to_a_fact_alike_in_another_section(tmp_path: Path) -> None:
    # S3's "Use cases" leaves while EBS gets a "Use cases" of its own, worded alike: the note a
    # user reviewed for S3 must not start teaching EBS.
    first, second = before_and_after(
        tmp_path,
        "aws.md",
        "# S3\n\n- Use cases - backups, static web hosting and data lakes\n"
        "- Durability - eleven nines\n\n# EBS\n\n- Size - up to 64 TiB per volume\n",
        "# S3\n\n- Durability - eleven nines\n\n# EBS\n\n- Size - up to 64 TiB per volume\n"
        "- Use cases - backups, static web hosting and boot volumes\n",
    )
    s3 = {note.guid for note in first.notes if "data lakes" in " ".join(note.fields)}
    ebs = {note.guid for note in second.notes if "boot volumes" in " ".join(note.fields)}
    assert s3 and ebs and not s3 & ebs


def test_a_heading_edited_with_every_fact_under_it_keeps_their_notes(tmp_path: Path) -> None:
    # Accents put back in a heading and in every line under it, in one commit.
    first, second = before_and_after(
        tmp_path,
        "redes.md",
        "# Redes\n\n## Topologias de red\n\n"
        "- Topologia fisica - como se cablean los dispositivos\n",
        "# Redes\n\n## Topologías de red\n\n"
        "- Topología física - cómo se cablean realmente los dispositivos\n",
    )
    assert guid_of(second, "Topología física") == guid_of(first, "Topologia fisica")
