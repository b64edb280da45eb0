"""The built deck imported into a real Anki collection, with Anki's own backend."""

from __future__ import annotations

from pathlib import Path

from notes2anki.pipeline import BuildOptions, build
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
