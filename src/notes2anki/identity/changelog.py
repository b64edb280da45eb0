"""Say what a build changed: added, changed and removed notes, for the user and for Anki."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from datetime import UTC, datetime
from itertools import groupby
from pathlib import Path
from typing import BinaryIO

from notes2anki.frozen import frozen
from notes2anki.identity.entries import Entry
from notes2anki.identity.ledger import Ledger
from notes2anki.model import Loc

CHANGELOG_NAME = "CHANGELOG.md"
_LABEL_CHARS = 90
_CHUNK = 1 << 20


@frozen
class Change:
    """One note that was added, changed or removed: its kind, text, source and Anki note id."""

    kind: str
    text: str
    source: str
    id: int


@frozen
class Move:
    """A note whose deck changed, by a renamed heading or deck: Anki keeps it in the old one."""

    before: str
    after: str
    change: Change


@frozen
class Changes:
    """What one build changed, against the ledger of the build before it."""

    added: tuple[Change, ...] = ()
    changed: tuple[Change, ...] = ()
    removed: tuple[Change, ...] = ()
    restyled: tuple[str, ...] = ()  # notetypes whose card templates or stylesheet changed
    first: bool = False  # no build before this one: every note is new
    moved: tuple[Move, ...] = ()  # changed notes (among the changed) now in another deck

    def __bool__(self) -> bool:
        """Tell whether anything changed."""
        return bool(self.added or self.changed or self.removed or self.restyled)

    def counts(self) -> str:
        """Say how many notes were added, changed and removed, and which notetypes restyled."""
        counted = (
            f"{len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed"
        )
        if self.moved:
            counted += f"; {len(self.moved)} to move to another deck in Anki"
        return counted + (f"; new look: {', '.join(self.restyled)}" if self.restyled else "")


def changes_between(
    before: Ledger,
    after: Mapping[str, Entry],
    notetypes: dict[str, Entry] | None = None,
    first: bool | None = None,
) -> Changes:
    """Compare the notes and notetypes of the last build with this one's."""
    restyled = tuple(
        name
        for name, entry in (notetypes or {}).items()
        if name in before.notetypes and before.notetypes[name].hash != entry.hash
    )
    added = [_change(entry) for guid, entry in after.items() if guid not in before.notes]
    changed = [
        _change(entry)
        for guid, entry in after.items()
        if guid in before.notes and before.notes[guid].hash != entry.hash
    ]
    removed = [_change(entry) for guid, entry in before.notes.items() if guid not in after]
    # A ledger written before decks were recorded knows no deck: no move is claimed then.
    moved = [
        Move(before.notes[guid].deck, entry.deck, _change(entry))
        for guid, entry in after.items()
        if guid in before.notes and before.notes[guid].deck not in ("", entry.deck)
    ]
    # Unless told, a build is the first when the last one left no notes.
    first = not before.notes if first is None else first
    return Changes(
        tuple(added if first else sorted(added, key=_place)),
        tuple(sorted(changed, key=_place)),
        tuple(sorted(removed, key=_place)),
        restyled,
        first,
        tuple(sorted(moved, key=lambda move: (move.before, move.after, _place(move.change)))),
    )


def changelog_entry(version: str, clock: int, changes: Changes) -> str:
    """Write one version's entry: counts, then every change with where it comes from."""
    day = datetime.fromtimestamp(clock, UTC).strftime("%Y-%m-%d")
    lines = [f"## {version} ({day})", "", f"{changes.counts()}.", ""]
    if changes.first:
        # A list of every note of a first build would only repeat the deck.
        return "\n".join([*lines, "The first build: every note is new.", ""])
    # A moved note is listed once, with its move.
    moved = {move.change for move in changes.moved}
    for title, found in (
        ("Added", changes.added),
        ("Changed", tuple(change for change in changes.changed if change not in moved)),
        ("Removed", changes.removed),
    ):
        if found:
            lines += [f"### {title}", ""]
            lines += [
                f"- `{change.source}` {change.kind}: {_label(change.text)}" for change in found
            ]
            lines.append("")
    if changes.restyled:
        lines += ["### Card templates and stylesheet", ""]
        lines += [f"- {name}: new look, same fields" for name in changes.restyled]
        lines.append("")
    if changes.moved:
        lines += _moves(changes.moved)
    if changes.removed:
        ids = ",".join(str(change.id) for change in changes.removed if change.id)
        lines += [
            "An import never deletes notes. To find the removed ones in Anki, search the browser",
            f"for `nid:{ids}`, then delete them.",
            "",
        ]
    return "\n".join(lines)


def write_changelog(stream: BinaryIO, existing: Path, deck_name: str, entry: str) -> None:
    """Write the changelog with a new entry on top, under its title, and the older ones below."""
    title = f"# Changelog: {deck_name}\n\n".encode()
    stream.write(title + entry.encode())
    try:
        older = existing.open("rb")
    except FileNotFoundError:
        return
    # The older entries are copied a piece at a time: a changelog can outgrow the deck.
    with older:
        head = older.read(len(title))
        if head != title:
            older.seek(0)
        first = older.read(_CHUNK)
        rest = older.read(_CHUNK)
        if first.strip() or rest:
            stream.write(b"\n" + first + rest)
            shutil.copyfileobj(older, stream, _CHUNK)


def _moves(moves: tuple[Move, ...]) -> list[str]:
    """List the notes whose deck changed, with the search that finds their cards in Anki."""
    lines = [
        "### Moved to another deck",
        "",
        "An import updates cards where they are and never moves them: in Anki's browser, search",
        "for each line's search, select all cards, then Cards > Change Deck and pick the new deck.",
        "",
    ]
    for (before, after), group in groupby(moves, key=lambda move: (move.before, move.after)):
        found = list(group)
        ids = ",".join(str(move.change.id) for move in found if move.change.id)
        lines.append(f"- from `{before}` to `{after}`: search `{deck_search(before)} nid:{ids}`")
        lines += [
            f"  - `{move.change.source}` {move.change.kind}: {_label(move.change.text)}"
            for move in found
        ]
    lines.append("")
    return lines


def deck_search(deck: str) -> str:
    """Return Anki's search for the cards in a deck, its name escaped as Anki's syntax wants."""
    # In a search, * and _ are wildcards and " ends the term: each is taken literally escaped.
    escaped = "".join(f"\\{char}" if char in '\\"*_' else char for char in deck)
    return f'"deck:{escaped}"'


def _change(entry: Entry) -> Change:
    return Change(entry.kind, entry.text, entry.source, entry.id)


def _place(change: Change) -> tuple[Loc, str]:
    return (Loc.read(change.source), change.kind)


def _label(text: str) -> str:
    folded = " ".join(text.split()).replace("`", "'")
    return folded if len(folded) <= _LABEL_CHARS else folded[: _LABEL_CHARS - 1] + "…"
