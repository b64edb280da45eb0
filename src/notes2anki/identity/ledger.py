"""Keep the ledger beside the notes: read it, upgrade an older one, write it to diff as notes do."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import field, replace
from pathlib import Path
from typing import cast

from notes2anki.cards.keys import TEXT_CHARS, ledger_key, upgraded_hash
from notes2anki.errors import NotesError
from notes2anki.frozen import frozen
from notes2anki.identity.entries import DeckRecord, Entry
from notes2anki.model import Loc

LEDGER_NAME = "notes2anki.lock"
LEDGER_FORMAT = 3


@frozen
class Ledger:
    """Notes by GUID, notetypes by name, the deck's version record, and notes that left it."""

    notes: Mapping[str, Entry]
    notetypes: Mapping[str, Entry]
    deck: DeckRecord = field(default_factory=DeckRecord)
    # Notes of earlier builds no longer in the deck, by GUID: in the file, among the notes.
    retired: Mapping[str, Entry] = field(default_factory=dict)
    # The format of the file it was read from: an older one is upgraded as it is written.
    format: int = LEDGER_FORMAT

    def known(self) -> dict[str, Entry]:
        """Return every note the ledger knows, in the deck or retired, by GUID."""
        return {**self.retired, **self.notes} if self.retired else dict(self.notes)


EMPTY_LEDGER = Ledger({}, {})


def is_ledger(path: Path) -> bool:
    """Tell whether a file is a ledger: a folder's, or one built file's."""
    return path.name == LEDGER_NAME or path.name.endswith(f".{LEDGER_NAME}")


def load_ledger(notes_dir: Path, name: str = LEDGER_NAME) -> Ledger:
    """Read the ledger; a missing one is empty, a broken one is an error naming the file."""
    path = notes_dir / name
    if not path.exists():
        return EMPTY_LEDGER
    try:
        # Entries become Entry objects as they are parsed, so the file's tables of dicts are
        # never held whole; a section's name, shared by its notes, is held once.
        data = json.loads(path.read_text(encoding="utf-8"), object_hook=_Reader().read)
    except UnicodeDecodeError:
        raise NotesError(Loc(name, 1), "ledger is not valid UTF-8") from None
    except json.JSONDecodeError as exc:
        raise NotesError(
            Loc(name, exc.lineno),
            f"ledger is not valid JSON ({exc.msg}); restore it from version control "
            "or delete it to start identities afresh",
        ) from None
    if not isinstance(data, dict) or data.get("format") not in (1, 2, LEDGER_FORMAT):
        raise NotesError(Loc(name, 1), f"ledger format is not {LEDGER_FORMAT}")
    deck = data.get("deck", {})
    if not isinstance(deck, dict) or not all(isinstance(v, str) for v in deck.values()):
        raise NotesError(Loc(name, 1), "ledger field 'deck' is malformed")
    every = _entries(data, "notes", name)
    notetypes = _entries(data, "notetypes", name)
    version = data["format"]
    if version < LEDGER_FORMAT:
        every = {guid: _upgraded(entry) for guid, entry in every.items()}
        notetypes = {
            name: replace(entry, hash=upgraded_hash(entry.hash))
            for name, entry in notetypes.items()
        }
    return Ledger(
        {guid: entry for guid, entry in every.items() if not entry.retired},
        notetypes,
        DeckRecord(deck.get("version", ""), deck.get("content", "")),
        {guid: entry for guid, entry in every.items() if entry.retired},
        version,
    )


def _upgraded(entry: Entry) -> Entry:
    """Return a note's entry of an older ledger as this one keeps it: same note, same identity."""
    # A retired one keeps no content hash or change time (see retire).
    return replace(
        entry,
        key=ledger_key(entry.key),
        hash="" if entry.retired else upgraded_hash(entry.hash),
        changed=0 if entry.retired else entry.changed,
        text=entry.text[:TEXT_CHARS],
    )


def _entries(data: dict[str, object], name: str, ledger: str) -> dict[str, Entry]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise NotesError(Loc(ledger, 1), f"ledger field {name!r} is not an object")
    for guid, entry in table.items():
        if not isinstance(entry, Entry):
            raise NotesError(Loc(ledger, 1), f"ledger entry {guid!r} in {name!r} is malformed")
    return table


class _Reader:
    """Turn the ledger's objects into entries as json parses them, places before notes."""

    def __init__(self) -> None:
        self.places: dict[str, tuple[str, str]] = {}
        self.shared: dict[str, str] = {}  # a kind, deck or section is held once by its notes

    def read(self, raw: dict[str, object]) -> object:
        """Return a parsed JSON object as an Entry when it is one; record the places."""
        if "k" in raw:
            return self._note(raw)
        if "key" in raw:
            return _entry_of(raw, self.shared)
        if raw and all(is_place(value) for value in raw.values()):
            shared = self.shared
            for place, value in raw.items():
                deck, section = cast("list[str]", value)
                self.places[place] = (
                    shared.setdefault(deck, deck),
                    shared.setdefault(section, section),
                )
        return raw

    def _note(self, raw: dict[str, object]) -> object:
        # Checked field by field: this runs once for every note of the deck.
        get = raw.get
        changed, content, note_id, key = get("c", 0), get("h", ""), get("id"), get("k")
        place, source, text, retired = get("s"), get("source"), get("t"), get("r", 0)
        if not (
            type(changed) is int
            and type(content) is str
            and type(note_id) is int
            and type(key) is str
            and type(place) is str
            and type(source) is str
            and type(text) is str
            and type(retired) is int
            and place in self.places
        ):
            return raw
        kind, _, digest = key.partition(" ")
        deck, section = self.places[place]
        shared = self.shared
        return Entry(
            digest,
            content,
            changed,
            source,
            note_id,
            shared.setdefault(kind, kind),
            section,
            text,
            deck,
            retired,
        )


def is_place(value: object) -> bool:
    """Tell whether a value of the table of sections names a place: [deck, section path]."""
    return type(value) is list and len(value) == 2 and all(type(part) is str for part in value)


def _entry_of(raw: dict[str, object], shared: dict[str, str]) -> object:
    """Turn an entry as older ledgers and the notetypes table write it into an Entry."""
    get = raw.get
    key, content, changed, source = get("key"), get("hash"), get("changed"), get("source")
    note_id, kind = get("id", 0), get("kind", "")
    section, text = get("section", ""), get("text", "")
    deck = get("deck", "")
    retired = get("retired", 0)
    if not (
        type(key) is str
        and type(content) is str
        and type(changed) is int
        and type(source) is str
        and type(note_id) is int
        and type(kind) is str
        and type(section) is str
        and type(text) is str
        and type(deck) is str
        and type(retired) is int
    ):
        return raw
    return Entry(
        key,
        content,
        changed,
        source,
        note_id,
        shared.setdefault(kind, kind),
        shared.setdefault(section, section),
        text,
        shared.setdefault(deck, deck),
        retired,
    )
