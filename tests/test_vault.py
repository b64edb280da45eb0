"""An Obsidian vault built as its owner keeps it: folders as decks, tags, embeds, sounds."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from notes2anki.building.pipeline import BuildOptions, BuildResult, build
from notes2anki.reading.vault import prepare
from tests.anki_backend import import_deck, open_collection, render_problems
from tests.helpers import apkg_notes, run

VAULT = Path(__file__).parent / "vault"
# What a field must never show of the vault app's syntax; Anki's own "{{c1::" is taken out first.
_LEFT_OVER = re.compile(r"\[\[|!\[\[|%%|^\s*[\w-]+:: |\(\([0-9a-f-]{36}\)\)", re.MULTILINE)
_CLOZE = re.compile(r"\{\{c\d+::|\}\}")


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """Copy the fixture vault, settings and attachments included, where a build may write."""
    return Path(shutil.copytree(VAULT, tmp_path / "vault"))


def test_a_vault_builds_into_its_folders_decks_with_its_tags_pictures_and_sounds(
    vault: Path, tmp_path: Path
) -> None:
    result = build(BuildOptions(vault, tmp_path / "dist"))
    collection = open_collection(tmp_path)
    try:
        log = import_deck(collection, result.deck_path)
        assert len(log.new) == len(result.notes) and log.duplicate == []
        decks = {deck.name for deck in collection.decks.all_names_and_ids()}
        # Folders are decks (a subfolder's deck.toml names its own), then the file's headings;
        # a file's front matter may place it itself; templates and the trash are never read.
        assert {
            "Study Vault::Amazon Web Services::S3",
            "Study Vault::Amazon Web Services::compute::EC2",
            "Study Vault::biology::Cells",
            "Study Vault::01 - Chemistry::Acids",
            "Study Vault::Languages::Spanish::Greetings",
            # A note without a "# title" has its file's name as one, as Obsidian shows it.
            "Study Vault::logseq::networking",
        } <= decks
        assert not any("Templates" in deck or "date" in deck or "Deleted" in deck for deck in decks)

        def tags_of(search: str) -> set[str]:
            notes = collection.find_notes(search)
            assert notes, search
            return set(collection.get_note(notes[0]).tags)

        # Front matter (a list, a string), a line of tags, an item's own tag, Logseq's tags::.
        assert {"aws", "storage::object", "exam"} <= tags_of(
            '"Front:Max object size*" OR "Text:Max object size*"'
        )
        assert {"aws", "compute", "exam::hot"} <= tags_of('"Front:Instance store"')
        assert "exam::hot" not in tags_of('"Front:EBS"')
        assert {"biology"} <= tags_of('"Front:Ribosome"')
        assert {"spanish", "vocabulary"} <= tags_of('"Front:hola"')
        # The folder's deck.toml asks for Basic cards alone.
        spanish = collection.find_notes('"deck:Study Vault::Languages::Spanish"')
        kinds = {collection.get_note(note).note_type()["name"] for note in spanish}  # type: ignore[index]
        assert len(spanish) == 2 and kinds == {"notes2anki Basic"}
        assert {"networking", "protocols"} <= tags_of('"Front:TCP"')

        # Every picture and sound reached Anki: its media check finds nothing missing.
        check = collection.media.check()
        assert list(check.missing) == [] and list(check.missing_media_notes) == []
        fields = [
            field
            for note_id in collection.find_notes("")
            for field in collection.get_note(note_id).fields
        ]
        assert sum("[sound:" in field for field in fields) >= 2
        assert sum("<img" in field for field in fields) >= 2
        shown = [_CLOZE.sub(" ", field) for field in fields]
        assert [field for field in shown if _LEFT_OVER.search(field)] == []
        assert not any("lecture of week 2" in field or "Golgi" in field for field in fields)
        # A Logseq block reference shows the block's words, from its own page or another.
        assert any("by TCP - a reliable, ordered byte stream or by" in field for field in fields)
        # An embedded note is named, its text is not carded where it is embedded.
        told = [
            skipped for skipped in result.summary.skipped if "embeds the note" in skipped.reason
        ]
        assert [str(skipped.loc) for skipped in told] == ["aws/compute/ec2.md:7"]
        assert render_problems(collection) == []
        # Each card opens its note in Obsidian.
        ribosome = collection.get_note(collection.find_notes('"Front:Ribosome"')[0])
        assert ribosome["Source"] == (
            '<a href="obsidian://open?vault=vault&amp;file=biology%2Fcells">biology/cells.md</a>'
        )
    finally:
        collection.close()


def test_a_vault_may_show_paths_and_links_only_back_to_its_own_notes(
    vault: Path, tmp_path: Path
) -> None:
    # Notes that link into Obsidian themselves: no such link but the Source field's is kept.
    (vault / "biology" / "links.md").write_text(
        "# Links\n\n"
        "- Command - run it [now](obsidian://advanced-uri?commandid=app%3Areload)\n"
        '- Open - <a href="obsidian://open?vault=x&file=y">a note</a> of another vault\n',
        encoding="utf-8",
    )
    linked = build(BuildOptions(vault, tmp_path / "dist"))
    fields = [fields for _, _, fields in apkg_notes(linked.deck_path)]
    assert not any("advanced-uri" in field or "vault=x" in field for field in fields)
    assert all(field.count("obsidian://") == 1 for field in fields)
    (vault / "deck.toml").write_text('name = "Study Vault"\nsource = "path"\n', encoding="utf-8")
    plain = build(BuildOptions(vault, tmp_path / "dist"))
    fields = [fields for _, _, fields in apkg_notes(plain.deck_path)]
    assert not any("obsidian://" in field for field in fields)
    assert any(field.endswith("\x1fbiology/links.md") for field in fields)


def test_moving_a_note_to_another_folder_keeps_its_cards_and_names_the_move(
    vault: Path, tmp_path: Path
) -> None:
    first = build(BuildOptions(vault, tmp_path / "dist"))
    kept = Path(shutil.copy(first.deck_path, tmp_path / "first.apkg"))
    before = {guid for guid, _, fields in apkg_notes(kept) if "Mitochondria" in fields}
    (vault / "science").mkdir()
    (vault / "biology" / "cells.md").rename(vault / "science" / "cells.md")
    second = build(BuildOptions(vault, tmp_path / "dist"))
    after = {guid for guid, _, fields in apkg_notes(second.deck_path) if "Mitochondria" in fields}
    # Identity hangs on what a note asks, not on where its file is kept.
    assert before and after == before
    collection = open_collection(tmp_path)
    try:
        import_deck(collection, kept)
        count = collection.note_count()
        log = import_deck(collection, second.deck_path)
        # The moved notes are found and updated where they are: none is added twice.
        assert log.new == [] and log.conflicting == [] and collection.note_count() == count
    finally:
        collection.close()
    changelog = (tmp_path / "dist" / "CHANGELOG.md").read_text(encoding="utf-8")
    moved = changelog.split("### Moved to another deck", 1)[1]
    assert "from `Study Vault::biology::Cells` to `Study Vault::science::Cells`" in moved
    assert "science/cells.md" in moved and "Mitochondria" in moved


def test_code_keeps_what_looks_like_a_tag_a_comment_or_a_property() -> None:
    text = (
        "# Shell\n\n```bash\n# a comment #tag %%kept%%\nkey:: value\n```\n- Flag - `#pragma` #c\n"
    )
    prepared = prepare(text, obsidian=True)
    assert prepared.text.split("\n")[:6] == text.split("\n")[:6]
    assert prepared.line_tags == ((7, ("c",)),)
    assert prepared.text.count("\n") == text.count("\n")  # every line where it was


def test_percent_signs_are_comments_only_in_an_obsidian_vault() -> None:
    text = "# Yacc\n- A grammar file holds - declarations %% rules %% routines\n"
    assert "%% rules %%" in prepare(text).text
    assert "rules" not in prepare(text, obsidian=True).text


def test_verbose_names_embedded_notes_and_a_subfolders_deck_toml_sets_only_its_own(
    vault: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    told = run("-m", "notes2anki", "build", str(vault), "-o", str(out), "--verbose")
    assert told.returncode == 0, told.stderr
    assert "aws/compute/ec2.md:7: embeds the note 's3'" in told.stdout
    assert "more cards left out" not in told.stdout  # a remark, not a card left out
    (vault / "aws" / "deck.toml").write_text('name = ""\nversion = "2.0"\n', encoding="utf-8")
    refused = run("-m", "notes2anki", "build", str(vault), "-o", str(out))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "aws/deck.toml:1: 'name' must be a non-empty string" in refused.stderr
    assert "aws/deck.toml:2: a subfolder's deck.toml sets its deck's 'name' and 'rules' only" in (
        refused.stderr
    )


def test_a_note_without_a_title_keeps_its_cards_when_its_file_name_becomes_one(
    vault: Path, tmp_path: Path
) -> None:
    # Built once as plain notes (no vault settings: no title from the file's name), then as the
    # vault it is: the notes of the pages without a "# title" keep their GUIDs.
    settings = Path(shutil.move(vault / ".obsidian", tmp_path / "settings"))
    plain = build(BuildOptions(vault, tmp_path / "dist"))
    shutil.move(settings, vault / ".obsidian")
    titled = build(BuildOptions(vault, tmp_path / "dist"))

    def logseq(result: BuildResult) -> dict[str, str]:
        return {
            note.guid: note.deck for note in result.notes if note.loc.path.startswith("logseq/")
        }

    before, after = logseq(plain), logseq(titled)
    assert before and set(after) == set(before)
    assert set(before.values()) == {"Study Vault::logseq"}
    assert set(after.values()) == {
        "Study Vault::logseq::networking",
        "Study Vault::logseq::osi-model",
    }
