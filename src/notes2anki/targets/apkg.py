"""Write the .apkg: the only module that uses genanki, and never its clock or random defaults."""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import BinaryIO

import genanki

from notes2anki.cards.notetypes import NOTETYPE_OF, NOTETYPES, STYLESHEET, Notetype, card_ordinals
from notes2anki.frozen import frozen
from notes2anki.model import Kind
from notes2anki.records import Note

# Zip entries carry this date so that equal decks are equal bytes.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# Deflating lets go of the interpreter, but each chunk must take it back, and while another
# thread writes the ledger that can wait a whole switch interval (5 ms): few, large chunks.
_CHUNK = 8 << 20
# The fastest deflate level: four times quicker than the default on a large collection, for a
# file about an eighth larger.
_COMPRESS_LEVEL = 1
_SCRATCH_PREFIX = "notes2anki-collection-"
_PAGE_SIZE = 16384


@frozen
class DeckDetails:
    """What only the finished build knows: the root deck's description, notetypes' mod times."""

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


class DeckRows:
    """A deck's collection in a scratch file, given its notes a file at a time as they come."""

    def __init__(self, root: str, anki_files: Mapping[str, str]) -> None:
        # Root: the deck above all others. Packed on another thread than the one that fills it.
        self.root = root
        self.scratch = _scratch_folder()
        self.path = Path(self.scratch.name) / "collection.anki2"
        self.connection = sqlite3.connect(self.path, check_same_thread=False)
        self.cursor = self.connection.cursor()
        # Pages four times the default hold a large deck's notes with less left over at each
        # page's end: a smaller collection, quicker to fill and to deflate (about a tenth).
        self.cursor.execute(f"PRAGMA page_size = {_PAGE_SIZE}")
        # A scratch file outlives no crash: its commit need not wait for the disk.
        self.cursor.execute("PRAGMA synchronous = OFF")
        models = [_model(notetype, anki_files) for notetype in NOTETYPES]
        self.model_ids = {model.name: model.model_id for model in models}
        deck = genanki.Deck(deck_id(root), root)
        for model in models:
            deck.add_model(model)
        # genanki writes the collection, the root deck and the notetypes (their mod times and
        # the root's description are set once known); the notes and cards are written here as
        # rows, with their own ids and mod times instead of genanki's.
        genanki.Package([deck]).write_to_db(self.cursor, 0, iter(()))
        # Anki's indexes are built once after the rows are in, not kept up row by row.
        indexes = self.cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name IN ('notes', 'cards') AND sql IS NOT NULL ORDER BY rowid"
        ).fetchall()
        for name, _ in indexes:
            self.cursor.execute(f'DROP INDEX "{name}"')
        self.indexes = [sql for _, sql in indexes]
        self.decks: dict[str, None] = {root: None}  # every deck's name, in the order first met
        self.count = 0

    def add(self, notes: Sequence[Note]) -> int:
        """Put one file's notes and their cards in, after the files before it; count the cards."""
        for name in dict.fromkeys(note.deck for note in notes):
            if name not in self.decks:
                self.decks[name] = None
                genanki.Deck(deck_id(name), name).write_to_db(self.cursor, 0, iter(()))
        cards = _write_notes(self.cursor, notes, self.model_ids, self.count)
        self.count += len(notes)
        return cards

    def pack(
        self, stream: BinaryIO, media: Mapping[str, bytes], details: Callable[[], DeckDetails]
    ) -> None:
        """Finish the collection and write the .apkg, the same bytes for the same notes."""
        # Details: asked for once the indexes are built; the call may wait for the build. Few
        # calls here hold the interpreter: each waits for it while the build goes on.
        for sql in self.indexes:
            self.cursor.execute(sql)
        told = details()
        _set_description(self.cursor, deck_id(self.root), told.description)
        _set_notetype_mods(self.cursor, told.notetype_mods)
        self.connection.commit()
        self.connection.close()
        # Anki's media list maps numbered zip entries to file names.
        names = sorted(media)
        index = json.dumps({str(number): name for number, name in enumerate(names)}).encode()
        with zipfile.ZipFile(stream, "w") as archive:
            with self.path.open("rb") as collection:
                _add_entry(archive, "collection.anki2", collection, self.path.stat().st_size)
            _add_entry(archive, "media", io.BytesIO(index), len(index))
            for number, name in enumerate(names):
                _add_entry(archive, str(number), io.BytesIO(media[name]), len(media[name]))

    def close(self) -> None:
        """Drop the scratch collection."""
        self.connection.close()
        self.scratch.cleanup()


def _scratch_folder() -> tempfile.TemporaryDirectory[str]:
    """Make a scratch folder named for this process; remove those of builds that are gone."""
    # A build killed outright cannot remove its scratch collection, as large as the deck. Only
    # this machine's are looked at (a shared temp folder may hold another's, whose process ids
    # mean nothing here), and only where signals are POSIX's: elsewhere, signal 0 is no question.
    here = f"{_SCRATCH_PREFIX}{re.sub(r'[^A-Za-z0-9]', '_', platform.node())}-"
    found = Path(tempfile.gettempdir()).glob(f"{here}*-*") if os.name == "posix" else ()
    for stale in found:
        owner = stale.name.removeprefix(here).split("-")[0]
        if owner.isdigit() and not _running(int(owner)):
            shutil.rmtree(stale, ignore_errors=True)
    return tempfile.TemporaryDirectory(prefix=f"{here}{os.getpid()}-")


def _running(pid: int) -> bool:
    """Tell whether a process with this id is running (as far as this user can tell)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's
    return True


def _write_notes(
    cursor: sqlite3.Cursor, notes: Sequence[Note], model_ids: Mapping[str, int], first: int
) -> int:
    """Insert notes and their cards; a card's id is its note's id plus its number; count cards."""
    # First: the position of the first note among all of the deck's, which orders new cards.
    deck_ids = {name: deck_id(name) for name in {note.deck for note in notes}}
    # Rows are made as sqlite asks for them, so that no second copy of every field is held.
    # What every row has alike is written into the statement, not bound row by row.
    cursor.executemany(
        "INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, 0, 0, '')",
        (
            (
                note.id,
                note.guid,
                model_ids[NOTETYPE_OF[note.kind].name],
                note.mod,
                f" {' '.join(note.tags)} ",
                "\x1f".join(note.fields),
                note.fields[0],
            )
            for note in notes
        ),
    )
    cursor.executemany(
        "INSERT INTO cards VALUES (?, ?, ?, ?, ?, -1, 0, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, '')",
        (
            (note.id + ordinal, note.id, deck_ids[note.deck], ordinal, note.mod, position)
            for position, note in enumerate(notes, first)
            for ordinal in card_ordinals(note)
        ),
    )
    return cursor.rowcount


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


def _set_description(cursor: sqlite3.Cursor, root_id: int, description: str) -> None:
    """Give the root deck its description, which names the version the build settled on."""
    (decks_json,) = cursor.execute("SELECT decks FROM col").fetchone()
    decks = json.loads(decks_json)
    decks[str(root_id)]["desc"] = description
    cursor.execute("UPDATE col SET decks = ?", (json.dumps(decks, sort_keys=True),))


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
