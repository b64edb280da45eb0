"""Put a built deck into the user's collection: import it, move cards, retire removed notes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import field
from datetime import UTC, datetime
from pathlib import Path

from notes2anki.ankicollection import AnkiCollection, opened
from notes2anki.changelog import CHANGELOG_NAME, write_changelog
from notes2anki.compiling import BuildOptions, compile_notes
from notes2anki.frozen import frozen
from notes2anki.identity import Entry, now
from notes2anki.ledger import load_ledger
from notes2anki.outputs import Outputs
from notes2anki.pipeline import BuildResult, build, notetype_entries

REMOVED_TAG = "notes2anki::removed"


@frozen
class SyncPlan:
    """What a sync does to a collection, worked out before it changes anything."""

    added: tuple[str, ...]  # GUIDs of notes the import adds
    updated: tuple[str, ...]  # GUIDs of notes the import updates
    notetypes: bool  # whether a notetype is new or newer than the collection's
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


def plan_sync(
    collection: AnkiCollection,
    root: str,
    notes: Mapping[str, Entry],
    known: Mapping[str, Entry],
    notetype_mods: Mapping[int, int],
    removal: str = "suspend",
) -> SyncPlan:
    """Work out what a sync of a deck's notes, by GUID, does to the collection; change nothing."""
    # Known: the notes the ledger held before this build (in the deck or retired): with what
    # the last sync recorded, these are the only notes a sync ever retires.
    deck_notes = notes
    record = collection.record(root)
    stored = collection.notes({*deck_notes, *known, *record})
    added = tuple(guid for guid in deck_notes if guid not in stored)
    updated = tuple(
        guid
        for guid, note in deck_notes.items()
        if guid in stored and note.changed > stored[guid].mod
    )
    theirs = collection.notetype_mods()
    # A notetype the collection lacks comes with the notes that use it, which are added then.
    newer = any(kind in theirs and theirs[kind] < mod for kind, mod in notetype_mods.items())
    moved: dict[str, list[int]] = {}
    moved_notes, kept = 0, []
    for guid, note in deck_notes.items():
        if guid not in stored:
            continue
        # Cards still where the last sync (or, before any, the last build) put them follow
        # their note; cards elsewhere were moved by the user and stay.
        previous = known.get(guid)
        was = record.get(guid) or (previous.deck if previous is not None else "")
        going = [c.id for c in stored[guid].cards if c.deck != note.deck and c.deck == was]
        if going:
            moved.setdefault(note.deck, []).extend(going)
            moved_notes += 1
        elif any(card.deck != note.deck for card in stored[guid].cards):
            kept.append(guid)
    gone = [
        stored[guid]
        for guid in sorted(stored)
        if guid not in deck_notes and (removal == "delete" or not _tagged(stored[guid].tags))
    ]
    back = [stored[guid] for guid in deck_notes if guid in stored and _tagged(stored[guid].tags)]
    decks = {guid: note.deck for guid, note in deck_notes.items()}
    return SyncPlan(
        added,
        updated,
        newer,
        {deck: tuple(ids) for deck, ids in moved.items()},
        moved_notes,
        tuple(note.id for note in gone),
        tuple(card.id for note in gone for card in note.cards if not card.suspended),
        tuple(note.id for note in back),
        tuple(card.id for note in back for card in note.cards if card.suspended),
        decks,
        decks != record,
        removal,
        tuple(kept),
    )


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


def _tagged(tags: Sequence[str]) -> bool:
    return any(tag.casefold() == REMOVED_TAG for tag in tags)


@frozen
class SyncResult:
    """What a sync did (or, on a dry run, would do) to which collection, and the build it made."""

    collection: Path
    plan: SyncPlan
    built: BuildResult | None  # None on a dry run: nothing was written


def sync(options: BuildOptions, collection_path: Path, dry_run: bool = False) -> SyncResult:
    """Build the notes and put the deck into the collection; on a dry run, only plan it."""
    # The collection is opened first: while Anki has it open, nothing is built or written.
    known = load_ledger(options.notes_dir, options.ledger_name).known()
    with opened(collection_path) as collection:
        if dry_run:
            compiled = compile_notes(options)
            config = compiled.config
            entries = notetype_entries(compiled.templates, compiled.ledger, compiled.clock)
            plan = plan_sync(
                collection, config.name, compiled.entries, known, _mods(entries), config.removed
            )
            return SyncResult(collection_path, plan, None)
        built = build(options)
        config = built.config
        # The deck's notes as the ledger the build wrote has them (a build that found nothing
        # changed hands back no notes: it reused the last one's deck).
        written = load_ledger(options.notes_dir, options.ledger_name)
        mods = _mods(written.notetypes)
        plan = plan_sync(collection, config.name, written.notes, known, mods, config.removed)
        apply_sync(collection, plan, built.deck_path, config.name)
    if plan.changes():
        _log(options.out_dir, config.name, plan, collection_path)
    return SyncResult(collection_path, plan, built)


def _mods(notetypes: Mapping[str, Entry]) -> dict[int, int]:
    """Return each notetype's mod time by its id (the ledger keeps the id as its key)."""
    return {int(entry.key): entry.changed for entry in notetypes.values()}


def _log(out_dir: Path, deck_name: str, plan: SyncPlan, collection: Path) -> None:
    """Write what a sync did into the changelog, on top."""
    changelog = out_dir / CHANGELOG_NAME
    day = datetime.fromtimestamp(now(), UTC).strftime("%Y-%m-%d")
    entry = f"## Sync into `{collection}` ({day})\n\n{plan.counts()}.\n"
    with Outputs() as outputs:
        outputs.add(changelog, lambda stream: write_changelog(stream, changelog, deck_name, entry))
        outputs.commit()
