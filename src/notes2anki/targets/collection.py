"""Read and change a user's Anki collection through Anki's own backend (the `anki` package)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from notes2anki.errors import NotesError
from notes2anki.frozen import frozen

if TYPE_CHECKING:
    from anki.cards import CardId
    from anki.collection import Collection
    from anki.dbproxy import DBProxy
    from anki.notes import NoteId

INSTALL_HINT = "sync needs Anki's own Python package: pip install 'notes2anki[sync]'"
# Where the collection keeps what the last sync did, under each root deck's name.
RECORD_KEY = "notes2anki"
_SUSPENDED = -1  # a card's queue while it is suspended


@frozen
class CardPlace:
    """One card of a note in the collection: its id, its deck's name, and whether suspended."""

    id: int
    deck: str
    suspended: bool


@frozen
class StoredNote:
    """A note the collection holds, found by its GUID."""

    id: int
    mod: int
    tags: tuple[str, ...]
    cards: tuple[CardPlace, ...]


class AnkiCollection:
    """An open collection: what sync reads of it and the changes it makes."""

    def __init__(self, collection: Collection, path: Path) -> None:
        self.col = collection
        self.path = path

    @property
    def db(self) -> DBProxy:
        """Return the collection's database, open while the collection is."""
        db = self.col.db
        assert db is not None
        return db

    def modified(self) -> int:
        """Return when the collection was last changed (Anki's own stamp)."""
        return int(self.col.mod)

    def notes(self, guids: Iterable[str]) -> dict[str, StoredNote]:
        """Return the notes the collection holds with these GUIDs, by GUID."""
        wanted = set(guids)
        rows = [
            row for row in self.db.all("select guid, id, mod, tags from notes") if row[0] in wanted
        ]
        ids = [row[1] for row in rows]
        decks = {int(deck.id): deck.name for deck in self.col.decks.all_names_and_ids()}
        cards: dict[int, list[CardPlace]] = {}
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            marks = ",".join("?" * len(part))
            query = f"select id, nid, did, queue from cards where nid in ({marks}) order by id"
            for card, note, deck, queue in self.db.all(query, *part):
                place = CardPlace(card, decks.get(deck, ""), queue == _SUSPENDED)
                cards.setdefault(note, []).append(place)
        return {
            guid: StoredNote(note, mod, tuple(tags.split()), tuple(cards.get(note, ())))
            for guid, note, mod, tags in rows
        }

    def notetype_mods(self) -> dict[int, int]:
        """Return each notetype's mod time by id."""
        return {int(kind): int(mod) for kind, mod in self.db.all(_NOTETYPE_MODS)}

    def backup(self, folder: Path) -> None:
        """Take Anki's own backup of the collection into folder, and wait for it."""
        folder.mkdir(parents=True, exist_ok=True)
        self.col.create_backup(backup_folder=str(folder), force=True, wait_for_completion=True)

    def import_package(self, package: Path) -> None:
        """Import a deck file as Anki's desktop does by default: notes updated if newer."""
        from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest
        from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition

        if_newer = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
        options = ImportAnkiPackageOptions(
            merge_notetypes=False,
            update_notes=if_newer,
            update_notetypes=if_newer,
            with_scheduling=False,
            with_deck_configs=False,
        )
        self.col.import_anki_package(
            ImportAnkiPackageRequest(package_path=str(package), options=options)
        )

    def move(self, cards: Mapping[str, Sequence[int]]) -> None:
        """Move cards into decks, by deck name (a deck missing is made)."""
        for deck, ids in sorted(cards.items()):
            deck_id = self.col.decks.id(deck, create=True)
            assert deck_id is not None  # made when missing
            self.col.set_deck(_cards(ids), deck_id)

    def retire(self, notes: Sequence[int], cards: Sequence[int], tag: str) -> None:
        """Tag notes and suspend their cards."""
        self.col.tags.bulk_add(_notes(notes), tag)
        self.col.sched.suspend_cards(_cards(cards))

    def restore(self, notes: Sequence[int], cards: Sequence[int], tag: str) -> None:
        """Take a tag off notes and unsuspend their cards."""
        self.col.tags.bulk_remove(_notes(notes), tag)
        self.col.sched.unsuspend_cards(_cards(cards))

    def delete(self, notes: Sequence[int]) -> None:
        """Delete notes and their cards."""
        self.col.remove_notes(_notes(notes))

    def record(self, root: str) -> dict[str, str]:
        """Return the deck the last sync left each note of a root deck in, by GUID."""
        stored = self.col.get_config(RECORD_KEY, {})
        kept = stored.get(root, {}) if isinstance(stored, dict) else {}
        return {
            guid: deck
            for deck, guids in kept.items()
            if isinstance(guids, list)
            for guid in guids
            if isinstance(guid, str)
        }

    def set_record(self, root: str, decks: Mapping[str, str]) -> None:
        """Keep the deck each note of a root deck is left in, if it differs from the record."""
        stored: Any = self.col.get_config(RECORD_KEY, {})
        every = dict(stored) if isinstance(stored, dict) else {}
        grouped: dict[str, list[str]] = {}
        for guid, deck in sorted(decks.items()):
            grouped.setdefault(deck, []).append(guid)
        if json.dumps(every.get(root)) == json.dumps(grouped):
            return
        every[root] = grouped
        self.col.set_config(RECORD_KEY, every)


def _cards(ids: Sequence[int]) -> list[CardId]:
    return cast("list[CardId]", list(ids))


def _notes(ids: Sequence[int]) -> list[NoteId]:
    return cast("list[NoteId]", list(ids))


_NOTETYPE_MODS = "select id, mtime_secs from notetypes"


@contextmanager
def opened(path: Path) -> Iterator[AnkiCollection]:
    """Open a collection for sync; refuse while Anki (or anything else) has it open."""
    try:
        from anki.collection import Collection
        from anki.errors import DBError
    except ImportError:
        raise NotesError(str(path), INSTALL_HINT) from None
    try:
        collection = Collection(str(path))
    except DBError:
        raise NotesError(
            str(path), "Anki has this collection open: close Anki (or let its sync end), then sync"
        ) from None
    try:
        yield AnkiCollection(collection, path)
    finally:
        collection.close()
