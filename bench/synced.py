"""Replay real histories into one collection by imports and into another by `notes2anki sync`.

usage: python -m bench.synced [BUNDLE_OR_REPOSITORY ...]   (default: ../shared/histories/*.bundle)

Each version is checked out into one notes folder (as bench.history does) and synced into one
collection; the deck the sync built is imported into another, as Anki's desktop imports a file.
At the end each collection is counted for what the notes no longer say:
- notes left active that the notes no longer hold (due as ever, teaching what the notes dropped);
- cards that are not in their note's deck (a heading renamed leaves them in the old one).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition

from bench.history import checkouts, history_name, replay_each
from notes2anki.building.options import BuildOptions
from notes2anki.building.syncing import sync
from notes2anki.identity.ledger import load_ledger

_IF_NEWER = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
_SUSPENDED = -1


@dataclass
class Left:
    """What a collection holds at the end that the notes no longer say."""

    active: int = 0  # notes the notes no longer hold, with a card not suspended
    misplaced: int = 0  # cards of the deck's notes outside their note's deck


@dataclass
class Synced:
    """One history replayed both ways."""

    name: str
    built: int = 0
    notes: int = 0
    imported: Left = field(default_factory=Left)
    synced: Left = field(default_factory=Left)


def replay(bundle: Path, work: Path) -> Synced:
    """Sync each version into one collection and import its deck into another."""
    result = Synced(history_name(bundle))
    notes, out = work / "notes", work / "out"
    imported, synced = work / "imported.anki2", work / "synced" / "collection.anki2"
    synced.parent.mkdir()
    for commit in checkouts(bundle, work, notes):
        if commit is None:
            continue
        built = sync(BuildOptions(notes, out), synced).built
        assert built is not None
        result.built += 1
        collection = Collection(str(imported))
        try:
            options = ImportAnkiPackageOptions(
                with_scheduling=False, with_deck_configs=False, update_notes=_IF_NEWER
            )
            request = ImportAnkiPackageRequest(package_path=str(built.deck_path), options=options)
            collection.import_anki_package(request)
        finally:
            collection.close()
    decks = {guid: entry.deck for guid, entry in load_ledger(notes).notes.items()}
    result.notes = len(decks)
    result.imported, result.synced = left(imported, decks), left(synced, decks)
    return result


def left(path: Path, decks: dict[str, str]) -> Left:
    """Count what a collection holds that the notes, whose notes' decks are given, no longer say."""
    collection = Collection(str(path))
    try:
        db = collection.db
        assert db is not None
        names = {int(deck.id): deck.name for deck in collection.decks.all_names_and_ids()}
        found = Left()
        for guid, cards in _cards_by_note(
            db.all("select n.guid, c.did, c.queue from cards c join notes n on n.id = c.nid")
        ).items():
            if guid not in decks:
                found.active += any(queue != _SUSPENDED for _, queue in cards)
            else:
                found.misplaced += sum(names.get(deck) != decks[guid] for deck, _ in cards)
        return found
    finally:
        collection.close()


def _cards_by_note(rows: Sequence[Sequence[Any]]) -> dict[str, list[tuple[int, int]]]:
    """Group (GUID, deck id, queue) rows by GUID."""
    grouped: dict[str, list[tuple[int, int]]] = {}
    for guid, deck, queue in rows:
        grouped.setdefault(str(guid), []).append((int(deck), int(queue)))
    return grouped


def report(results: list[Synced]) -> str:
    """Write the replays as a Markdown table."""
    rows = [
        "| history | versions built | notes at the end | imported: notes left active"
        " | imported: cards outside their deck | synced: notes left active"
        " | synced: cards outside their deck |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for one in results:
        imported, synced = one.imported, one.synced
        rows.append(
            f"| {one.name} | {one.built} | {one.notes} | {imported.active} | {imported.misplaced}"
            f" | {synced.active} | {synced.misplaced} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    """Replay each history both ways and print what each collection was left with."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("bundles", nargs="*", type=Path)
    args = parser.parse_args(argv)
    print(report(replay_each(args.bundles, replay)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
