"""Put a built deck into the user's collection: import it, move cards, retire removed notes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import field
from pathlib import Path

from notes2anki.frozen import frozen
from notes2anki.identity.entries import Entry
from notes2anki.targets.collection import AnkiCollection, StoredNote

REMOVED_TAG = "notes2anki::removed"


@frozen
class SyncPlan:
    """What a sync does to a collection, worked out before it changes anything."""

    added: tuple[str, ...]  # GUIDs of notes the import adds
    updated: tuple[str, ...]  # GUIDs of notes the import updates
    notetypes: bool  # whether one of the collection's notetypes is older than the deck's
    moved: Mapping[str, tuple[int, ...]]  # card ids by the deck they go to
    moved_notes: int
    retired: tuple[int, ...]  # note ids: tagged and suspended, or deleted
    retired_cards: tuple[int, ...]
    restored: tuple[int, ...]  # note ids: a retired fact that came back
    restored_cards: tuple[int, ...]
    record: Mapping[str, str]  # the deck each note is left in, by GUID
    record_changed: bool
    removal: str = "suspend"
    kept: tuple[str, ...] = field(default_factory=tuple)  # GUIDs of notes the user moved

    def changes(self) -> bool:
        """Tell whether the sync changes the collection at all."""
        return bool(
            self.added
            or self.updated
            or self.notetypes
            or self.moved
            or self.retired
            or self.restored
            or self.record_changed
        )

    def counts(self) -> str:
        """Say what the sync does, in counts."""
        gone = "deleted" if self.removal == "delete" else "retired"
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {self.moved_notes} moved, "
            f"{len(self.retired)} {gone}, {len(self.restored)} restored"
        )


@frozen
class BuiltDeck:
    """A built deck as a sync sees it."""

    root: str  # the root deck's name: the collection keeps what each sync did under it
    notes: Mapping[str, Entry]  # the deck's notes by GUID (deck and mod time)
    # The notes the ledger held before this build, in the deck or retired: with those the last
    # sync recorded, the only notes a sync ever moves or retires.
    known: Mapping[str, Entry]
    notetype_mods: Mapping[int, int]  # by notetype id
    removal: str = "suspend"  # what becomes of a note whose fact left: "suspend" or "delete"


def plan_sync(collection: AnkiCollection, deck: BuiltDeck) -> SyncPlan:
    """Work out what a sync of a built deck does to the collection, changing nothing."""
    notes = deck.notes
    record = collection.record(deck.root)
    stored = collection.notes({*notes, *deck.known, *record})
    theirs = collection.notetype_mods()
    # A notetype the collection lacks comes with the notes that use it, which are added then.
    newer = any(kind in theirs and theirs[kind] < mod for kind, mod in deck.notetype_mods.items())
    moved, moved_notes, kept = _moves(deck, stored, record)
    gone = [
        stored[guid]
        for guid in sorted(stored)
        if guid not in notes and (deck.removal == "delete" or not _tagged(stored[guid].tags))
    ]
    back = [stored[guid] for guid in notes if guid in stored and _tagged(stored[guid].tags)]
    decks = {guid: note.deck for guid, note in notes.items()}
    return SyncPlan(
        tuple(guid for guid in notes if guid not in stored),
        tuple(
            guid
            for guid, note in notes.items()
            if guid in stored and note.changed > stored[guid].mod
        ),
        newer,
        moved,
        moved_notes,
        tuple(note.id for note in gone),
        tuple(card.id for note in gone for card in note.cards if not card.suspended),
        tuple(note.id for note in back),
        tuple(card.id for note in back for card in note.cards if card.suspended),
        decks,
        decks != record,
        deck.removal,
        kept,
    )


def _moves(
    deck: BuiltDeck, stored: Mapping[str, StoredNote], record: Mapping[str, str]
) -> tuple[dict[str, tuple[int, ...]], int, tuple[str, ...]]:
    """Return the cards that follow their note to its new deck, how many notes, and the kept."""
    # Cards still where the last sync (or, before any, the last build) put them follow their
    # note; cards elsewhere were moved by the user and stay.
    moved: dict[str, list[int]] = {}
    moved_notes, kept = 0, []
    for guid, note in deck.notes.items():
        if guid not in stored:
            continue
        previous = deck.known.get(guid)
        was = _deck_key(record.get(guid) or (previous.deck if previous is not None else ""))
        cards = stored[guid].cards
        target = _deck_key(note.deck)
        going = [card.id for card in cards if was != target and _deck_key(card.deck) == was]
        if going:
            moved.setdefault(note.deck, []).extend(going)
            moved_notes += 1
        elif any(_deck_key(card.deck) != target for card in cards):
            kept.append(guid)
    return {name: tuple(ids) for name, ids in moved.items()}, moved_notes, tuple(kept)


def apply_sync(collection: AnkiCollection, plan: SyncPlan, package: Path, root: str) -> None:
    """Make the planned changes, after Anki's own backup of the collection."""
    if not plan.changes():
        return
    collection.backup(collection.path.parent / "backups")
    if plan.added or plan.updated or plan.notetypes:
        collection.import_package(package)
    collection.move(plan.moved)
    if plan.retired:
        if plan.removal == "delete":
            collection.delete(plan.retired)
        else:
            collection.retire(plan.retired, plan.retired_cards, REMOVED_TAG)
    if plan.restored:
        collection.restore(plan.restored, plan.restored_cards, REMOVED_TAG)
    collection.set_record(root, plan.record)


def _deck_key(name: str) -> str:
    """Fold a deck's name as Anki tells decks apart: case, and spaces around "::", ignored."""
    return "::".join(part.strip() for part in name.casefold().split("::"))


def _tagged(tags: Sequence[str]) -> bool:
    return any(tag.casefold() == REMOVED_TAG for tag in tags)
