"""The built deck imported into a real Anki collection, with Anki's own backend."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from anki.collection import ExportAnkiPackageOptions
from anki.notes import NoteFieldsCheckResult

from notes2anki.building.pipeline import BuildOptions, build
from tests.anki_backend import (
    check_notetypes,
    import_deck,
    open_collection,
    render_problems,
    review,
)


def test_seed_deck_imports_cleanly_and_every_card_renders(seed_notes: Path, tmp_path: Path) -> None:
    result = build(BuildOptions(seed_notes, tmp_path / "dist"))
    collection = open_collection(tmp_path)
    try:
        log = import_deck(collection, result.deck_path)
        assert log.conflicting == [] and log.duplicate == []
        assert len(log.new) == len(result.notes)
        per_kind = dict(result.summary.notes_per_kind)
        assert collection.note_count() == sum(per_kind.values())
        assert collection.card_count() == result.summary.cards
        assert render_problems(collection) == []
        assert check_notetypes(collection) == []
        # Anki's browser flags a note whose first field another of its notetype has.
        flagged = [
            note_id
            for note_id in collection.find_notes("")
            if collection.get_note(note_id).fields_check() == NoteFieldsCheckResult.DUPLICATE
        ]
        assert flagged == []
        names = {deck.name for deck in collection.decks.all_names_and_ids()}
        assert {"AWS DVA-C01", "AWS DVA-C01::Route 53", "AWS DVA-C01::VPC"} <= names
        description = collection.decks.by_name("AWS DVA-C01")
        assert description is not None and "Version 1.0.0" in description["desc"]
    finally:
        collection.close()


def test_reimport_updates_in_place_and_keeps_review_history(
    seed_notes: Path, tmp_path: Path
) -> None:
    first = build(BuildOptions(seed_notes, tmp_path / "v1"))
    collection = open_collection(tmp_path)
    try:
        import_deck(collection, first.deck_path)
        note_id = collection.find_notes('"Front:A record"')[0]
        card = collection.get_note(note_id).cards()[0]
        reviewed = review(collection, card)
        assert reviewed.reps == 1

        unchanged = import_deck(
            collection, build(BuildOptions(seed_notes, tmp_path / "v1b")).deck_path
        )
        assert unchanged.new == [] and unchanged.updated == []

        notes_file = seed_notes / "aws-dva-c01-notes.md"
        text = notes_file.read_text(encoding="utf-8")
        notes_file.write_text(
            text.replace(
                "A record - hostname to IPv4", "A record - maps a hostname to an IPv4 address"
            ),
            encoding="utf-8",
        )
        log = import_deck(collection, build(BuildOptions(seed_notes, tmp_path / "v2")).deck_path)
        assert log.conflicting == []
        updated_note = collection.get_note(note_id)
        assert updated_note.guid in log.updated
        assert "maps a hostname to an IPv4 address" in updated_note["Back"]
        kept = collection.get_card(card.id)
        assert (kept.reps, kept.ivl, kept.due) == (reviewed.reps, reviewed.ivl, reviewed.due)
        assert collection.db.scalar("select count() from revlog where cid = ?", card.id) == 1
        assert len(collection.find_notes('"Front:A record"')) == 1
    finally:
        collection.close()


def test_an_edit_made_in_anki_survives_reimport_of_unchanged_notes(
    seed_notes: Path, tmp_path: Path
) -> None:
    deck = build(BuildOptions(seed_notes, tmp_path / "v1")).deck_path
    collection = open_collection(tmp_path)
    try:
        import_deck(collection, deck)
        note = collection.get_note(collection.find_notes('"Front:A record"')[0])
        note["Back"] = "my own words"
        collection.update_note(note)
        import_deck(collection, build(BuildOptions(seed_notes, tmp_path / "v1b")).deck_path)
        assert collection.get_note(note.id)["Back"] == "my own words"
    finally:
        collection.close()


def test_a_deck_exported_from_anki_carries_none_of_the_users_other_files(tmp_path: Path) -> None:
    # Anki's exporter carries along every media file whose name, led by "_", its scan of the
    # templates and stylesheet seems to name. Any such name is a user's file we would share.
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# DNS\n- A record - hostname to IPv4\n", encoding="utf-8")
    result = build(BuildOptions(notes, tmp_path / "dist"))
    collection = open_collection(tmp_path)
    try:
        import_deck(collection, result.deck_path)
        media = Path(collection.media.dir())
        looks = [
            part
            for notetype in collection.models.all()
            for part in (
                notetype["css"],
                *(t[s] for t in notetype["tmpls"] for s in ("qfmt", "afmt")),
            )
        ]
        # Every run from an underscore to a character a scan could stop at, as a file name.
        names = {
            text[start:end]
            for text in looks
            for start in (i for i, char in enumerate(text) if char == "_")
            for end in range(start + 2, min(len(text), start + 80) + 1)
            if text[end - 1 : end] in {")", '"', "'", "]", ">", " "}
            or text[end : end + 1] in {")", '"', "'", "]", ">", " ", "\n"}
        }
        for name in names:
            if "/" not in name and "\n" not in name and "\0" not in name:
                (media / name).write_bytes(b"a file of the user's own")
        exported = tmp_path / "exported.apkg"
        collection.export_anki_package(
            out_path=str(exported),
            options=ExportAnkiPackageOptions(
                with_scheduling=False, with_deck_configs=False, with_media=True, legacy=True
            ),
            limit=None,
        )
    finally:
        collection.close()
    with zipfile.ZipFile(exported) as package:
        carried = json.loads(package.read("media"))
    assert [name for name in carried.values() if name.startswith("_")] == []


def test_the_changelog_finds_the_cards_a_renamed_deck_left_behind(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "deck.toml").write_text('name = "Net_Works*"\n', encoding="utf-8")
    facts = "- A record - hostname to IPv4\n- CNAME - hostname to hostname\n"
    (notes / "a.md").write_text(f"# Route 53\n{facts}# VPC\n- NACL - stateless\n", "utf-8")
    first = build(BuildOptions(notes, tmp_path / "dist"))
    collection = open_collection(tmp_path)
    try:
        import_deck(collection, first.deck_path)
        old_deck = collection.decks.id_for_name("Net_Works*::Route 53")
        assert old_deck is not None
        left_behind = set(collection.decks.cids(old_deck))
        (notes / "a.md").write_text(f"# DNS\n{facts}# VPC\n- NACL - stateless\n", "utf-8")
        second = build(BuildOptions(notes, tmp_path / "dist"))
        assert {move.before for move in second.changes.moved} == {"Net_Works*::Route 53"}
        import_deck(collection, second.deck_path)
        # Anki updated the cards where they were: every one is still in the old deck.
        assert set(collection.decks.cids(old_deck)) == left_behind
        changelog = (tmp_path / "dist" / "CHANGELOG.md").read_text(encoding="utf-8")
        assert "### Moved to another deck" in changelog and "Change Deck" in changelog
        searches = re.findall(r"^- from `(.+?)` to `(.+?)`: search `(.+)`$", changelog, re.M)
        assert [(old, new) for old, new, _ in searches] == [
            ("Net_Works*::Route 53", "Net_Works*::DNS")
        ]
        # The search finds them all, and only them (the name's * and _ taken literally).
        assert set(collection.find_cards(searches[0][2])) == left_behind
    finally:
        collection.close()
