"""Write the .apkg: the only module that uses genanki, and never its clock or random defaults."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import genanki

from notes2anki.model import Kind, Note
from notes2anki.notetypes import NOTETYPE_OF, NOTETYPES, STYLESHEET, Notetype, card_ordinals

# Zip entries carry this date so that equal decks are equal bytes.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# Deflating lets go of the interpreter, but each chunk must take it back, and while another
# thread writes the ledger that can wait a whole switch interval (5 ms): few, large chunks.
_CHUNK = 8 << 20
# The fastest deflate level: four times quicker than the default on a large collection, for a
# file about an eighth larger.
_COMPRESS_LEVEL = 1


@dataclass(frozen=True, slots=True)
class DeckInfo:
    """The root deck's name and description, and each notetype's mod time by name."""

    name: str
    description: str
    notetype_mods: Mapping[str, int]


def deck_id(name: str) -> int:
    """Derive a fixed deck id from a deck name (Anki matches decks by name)."""
    digest = hashlib.blake2b(name.encode(), digest_size=4).digest()
    return (1 << 30) + int.from_bytes(digest, "big") % (1 << 30)


def notetype_look(notetype: Notetype, anki_files: Mapping[str, str]) -> str:
    """Return the text whose change means the notetype changed: its templates and stylesheet."""
    parts = [anki_files[STYLESHEET]]
    for template in notetype.templates:
        parts += [anki_files[template.front_file], anki_files[template.back_file]]
    return "\x1f".join(parts)


def write_package(
    stream: BinaryIO,
    info: DeckInfo,
    notes: tuple[Note, ...],
    anki_files: Mapping[str, str],
    media: Mapping[str, bytes],
    rows_written: Callable[[], object] | None = None,
) -> None:
    """Write the .apkg to a stream, byte for byte the same for the same notes and times."""
    models = {notetype.name: _model(notetype, anki_files) for notetype in NOTETYPES}
    decks = {info.name: genanki.Deck(deck_id(info.name), info.name, info.description)}
    for name in dict.fromkeys(note.deck for note in notes):
        decks.setdefault(name, genanki.Deck(deck_id(name), name))
    for model in models.values():
        decks[info.name].add_model(model)
    with tempfile.TemporaryDirectory(prefix="notes2anki-") as scratch:
        db_path = Path(scratch) / "collection.anki2"
        connection = sqlite3.connect(db_path)
        try:
            cursor = connection.cursor()
            # genanki writes the collection, its decks and notetypes; the notes and cards are
            # written here as rows, with their own ids and mod times instead of genanki's.
            timestamp = min((note.mod for note in notes), default=0)
            genanki.Package(list(decks.values())).write_to_db(cursor, timestamp, iter(()))
            # Anki's indexes are built once after the rows are in, not kept up row by row.
            indexes = cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name IN ('notes', 'cards') AND sql IS NOT NULL ORDER BY rowid"
            ).fetchall()
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            _write_notes(cursor, notes, {name: model.model_id for name, model in models.items()})
            if rows_written is not None:
                rows_written()  # what is left, indexes and deflate, runs free of the interpreter
            for _, sql in indexes:
                cursor.execute(sql)
            _set_notetype_mods(cursor, info.notetype_mods)
            connection.commit()
        finally:
            connection.close()
        # Anki's media list maps numbered zip entries to file names.
        names = sorted(media)
        index = json.dumps({str(number): name for number, name in enumerate(names)}).encode()
        with zipfile.ZipFile(stream, "w") as archive:
            with db_path.open("rb") as collection:
                _add_entry(archive, "collection.anki2", collection, db_path.stat().st_size)
            _add_entry(archive, "media", io.BytesIO(index), len(index))
            for number, name in enumerate(names):
                _add_entry(archive, str(number), io.BytesIO(media[name]), len(media[name]))


def _write_notes(
    cursor: sqlite3.Cursor, notes: tuple[Note, ...], model_ids: Mapping[str, int]
) -> None:
    """Insert notes and their cards; a card's id is its note's id plus its number."""
    deck_ids = {name: deck_id(name) for name in {note.deck for note in notes}}
    # Rows are made as sqlite asks for them, so that no second copy of every field is held.
    cursor.executemany(
        "INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (
            (
                note.id,
                note.guid,
                model_ids[NOTETYPE_OF[note.kind].name],
                note.mod,
                -1,
                f" {' '.join(note.tags)} ",
                "\x1f".join(note.fields),
                note.fields[0],
                0,
                0,
                "",
            )
            for note in notes
        ),
    )
    cursor.executemany(
        "INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            (note.id + ordinal, note.id, deck_ids[note.deck], ordinal, note.mod, -1, 0, 0,
             position, 0, 0, 0, 0, 0, 0, 0, 0, "")
            for position, note in enumerate(notes)
            for ordinal in card_ordinals(note)
        ),
    )  # fmt: skip


def _model(notetype: Notetype, anki_files: Mapping[str, str]) -> genanki.Model:
    fields = [{"name": name, "id": field_id} for name, field_id in notetype.fields]
    templates = [
        {
            "name": template.name,
            "id": template.id,
            "qfmt": anki_files[template.front_file],
            "afmt": anki_files[template.back_file],
        }
        for template in notetype.templates
    ]
    model_type = genanki.Model.CLOZE if notetype.kind is Kind.CLOZE else genanki.Model.FRONT_BACK
    return genanki.Model(
        notetype.id,
        notetype.name,
        fields=fields,
        templates=templates,
        css=anki_files[STYLESHEET],
        model_type=model_type,
    )


def _set_notetype_mods(cursor: sqlite3.Cursor, notetype_mods: Mapping[str, int]) -> None:
    """Stamp each notetype with the time its templates last changed, not the build time."""
    (models_json,) = cursor.execute("SELECT models FROM col").fetchone()
    models = json.loads(models_json)
    for notetype in NOTETYPES:
        if str(notetype.id) in models:
            models[str(notetype.id)]["mod"] = notetype_mods[notetype.name]
    cursor.execute("UPDATE col SET models = ?", (json.dumps(models, sort_keys=True),))


def _add_entry(archive: zipfile.ZipFile, name: str, source: BinaryIO, size: int) -> None:
    """Add a file to the archive a chunk at a time, dated and permissioned the same every time."""
    entry = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    entry.compress_type = zipfile.ZIP_DEFLATED
    # ZipFile.open gives a ZipInfo no level of its own; the attribute lost its "_" in 3.13.
    level = "compress_level" if hasattr(entry, "compress_level") else "_compresslevel"
    setattr(entry, level, _COMPRESS_LEVEL)
    entry.create_system = 3
    entry.external_attr = 0o644 << 16
    entry.file_size = size
    with archive.open(entry, "w") as target:
        shutil.copyfileobj(source, target, _CHUNK)
