"""Give notes stable identities, ids and mod times: what the ledger remembers of each."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Collection, Iterable, Mapping
from dataclasses import field, replace

from notes2anki.frozen import frozen
from notes2anki.model import Loc

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_PAIR_BASE = len(_BASE62) ** 2
_BASE62_PAIRS = [high + low for high in _BASE62 for low in _BASE62]
# Note ids are milliseconds (Anki shows them as "added"); new notes are spaced this far apart so
# that a note's card ids (note id + card number) never meet the next note's.
ID_STRIDE = 100


@frozen
class Entry:
    """What the ledger remembers of one note (or notetype) from the last build."""

    key: str  # a note's: its key's digest (ledger_key), all the ledger keeps of it
    hash: str
    changed: int
    # Where the fact stood when its note was last written: a line inserted above it moves
    # nothing in the ledger.
    source: str
    id: int = 0
    kind: str = ""
    section: str = ""
    text: str = ""
    # The Anki deck its cards were put in: an import never moves them when it changes.
    deck: str = ""
    # When the note left the deck (0 while it is in): a fact that comes back gets it again.
    retired: int = 0
    # The whole key, while a build has it (a file's settled notes are drafts again with it).
    spelled: str = field(default="", compare=False)

    def __reduce__(self) -> tuple[type[Entry], tuple[object, ...]]:
        """Pickle as a call with the values, far quicker than the generic dataclass state."""
        return (
            Entry,
            (
                self.key,
                self.hash,
                self.changed,
                self.source,
                self.id,
                self.kind,
                self.section,
                self.text,
                self.deck,
                self.retired,
                self.spelled,
            ),
        )


@frozen
class DeckRecord:
    """The version the last build was given and the content it was given for."""

    version: str = ""
    content: str = ""


def now() -> int:
    """Return the time to stamp changes with: SOURCE_DATE_EPOCH when set, else the clock."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(fixed) if fixed.isdigit() else int(time.time())


def guid_for(key: str) -> str:
    """Derive a short, stable GUID from a note key."""
    number = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big")
    # Base 62, two digits a step: the same digits as one at a time, in half the steps.
    pairs = []
    while number:
        number, pair = divmod(number, _PAIR_BASE)
        pairs.append(_BASE62_PAIRS[pair])
    return "".join(reversed(pairs)).lstrip("0") or "0"


def stamp(previous: Entry | None, entry: Entry, clock: int) -> Entry:
    """Keep the change time of unchanged content; give changed content a strictly newer time."""
    return replace(entry, changed=changed_time(previous, entry.hash, clock))


def changed_time(previous: Entry | None, content: str, clock: int) -> int:
    """Return when content last changed: as before if it is the same, else strictly newer."""
    if previous is not None and previous.hash == content:
        return previous.changed
    return clock if previous is None else max(clock, previous.changed + 1)


def new_ids(entries: Iterable[Entry], count: int, clock: int) -> list[int]:
    """Allocate note ids for new notes: the build time in ms, above every id handed out before."""
    start = max([clock * 1000, *(entry.id + ID_STRIDE for entry in entries)])
    return [start + index * ID_STRIDE for index in range(count)]


# A ledger keeps a retired note for a year after it left, and at most this many of them (as
# many as the deck has, when it has more), the ones that left last: a fact that comes back
# mostly comes back soon, and a rewrite may take every note out at once.
RETIRED_AT_LEAST = 10_000
RETIRED_SECONDS = 365 * 24 * 3600


def retire(
    before: Mapping[str, Entry],
    retired: Mapping[str, Entry],
    live: Collection[str],
    clock: int,
) -> dict[str, Entry]:
    """Return the notes to keep as retired: those that just left the deck, and the earlier ones."""
    # What matching needs of it, no more: its line is the past, its file may be not. Its deck
    # stays, and with it its place in the table of sections. Its content hash and change time
    # go: a note that comes back is changed (its mod time new) whatever it says.
    left = {
        guid: replace(entry, retired=clock, source=Loc.read(entry.source).path, hash="", changed=0)
        for guid, entry in before.items()
        if guid not in live
    }
    kept = {
        guid: entry
        for guid, entry in retired.items()
        if guid not in live and guid not in left and clock - entry.retired <= RETIRED_SECONDS
    }
    every = {**kept, **left}
    limit = max(RETIRED_AT_LEAST, len(live))
    if len(every) > limit:
        newest = sorted(every, key=lambda guid: (-every[guid].retired, guid))[:limit]
        every = {guid: every[guid] for guid in newest}
    return every
