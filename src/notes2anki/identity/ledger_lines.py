"""Write the ledger: its head, its table of sections, a line a note, copied where unchanged."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import field
from itertools import islice
from json.encoder import encode_basestring
from pathlib import Path
from typing import BinaryIO

from notes2anki.cards.keys import digest
from notes2anki.errors import NotesError
from notes2anki.frozen import frozen
from notes2anki.identity.entries import Entry
from notes2anki.identity.ledger import LEDGER_FORMAT, LEDGER_NAME, Ledger, is_place
from notes2anki.model import Loc


class Places:
    """The ledger's table of sections: a short id for each deck and section its notes are in."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.ids: dict[tuple[str, str], str] = {}
        taken: set[str] = set()
        for deck, section in sorted({(entry.deck, entry.section) for entry in entries}):
            found = digest(f"{deck}\x1f{section}", 6)
            attempt = 0
            # Two places whose digests clash: the later one's id then depends on the other.
            while found in taken:
                attempt += 1
                found = digest(f"{deck}\x1f{section}\x1f{attempt}", 6)
            taken.add(found)
            self.ids[(deck, section)] = found

    def table(self) -> str:
        """Return the table as the ledger holds it, one place to a line, sorted by id."""
        if not self.ids:
            return "{}"
        lines = sorted(
            f'"{place}":{_COMPACT.encode(list(where))}' for where, place in self.ids.items()
        )
        return "{\n" + ",\n".join(lines) + "\n  }"

    def agree(self, lines: Iterable[bytes]) -> bool:
        """Tell whether an older ledger's lines of places name each place as this table does."""
        # Lines copied from an older ledger name their places by its ids: they may be copied
        # only if no id of it now names another place, nor a place another id.
        named = {place: where for where, place in self.ids.items()}
        for line in lines:
            try:
                ((place, where),) = json.loads(b"{" + line.rstrip(b",\n") + b"}").items()
            except ValueError:
                return False
            if not is_place(where):
                return False
            where = (where[0], where[1])
            if named.get(place, where) != where or self.ids.get(where, place) != place:
                return False
        return True


@frozen
class Unchanged:
    """Notes whose lines the ledger file at path, whose SHA-256 is known, already has as due."""

    path: Path
    sha256: str
    guids: Collection[str]
    # The file's other notes, by GUID: their lines go, or change if their entries do.
    dropped: Mapping[str, Entry] = field(default_factory=dict)


def write_ledger(
    stream: BinaryIO,
    ledger: Ledger,
    unchanged: Unchanged | None = None,
    places: Places | None = None,
) -> None:
    """Write the ledger as sorted JSON, one note to a line, so that it diffs as the notes do."""
    # The lines of unchanged notes are copied from the last ledger instead of made again: as
    # sorted as the new ones, the two are merged a line at a time. Places: the ledger's table
    # of sections, when the caller has made it already.
    known = ledger.known()
    places = Places(known.values()) if places is None else places
    copied = _note_lines(unchanged, places) if unchanged is not None else iter(())
    stream.write(ledger_head(ledger, places).encode())
    for part in _table(known, copied, lambda guid, entry: note_line(guid, entry, places)):
        stream.write(part.encode())
    stream.write(ledger_tail(ledger).encode())
    for _ in copied:  # read the old file to its end, where its hash is checked
        pass


def ledger_head(ledger: Ledger, places: Places) -> str:
    """Return the ledger's text up to its table of notes, the table of sections in it."""
    deck = {"content": ledger.deck.content, "version": ledger.deck.version}
    return (
        f'{{\n  "deck": {_ENCODER.encode(deck)},\n{_FORMAT_LINE}\n'
        f'  "sections": {places.table()},\n{_NOTES_LINE}'
    )


def ledger_tail(ledger: Ledger) -> str:
    """Return the ledger's text after its table of notes: the notetypes, and the end."""
    table = _table(ledger.notetypes, iter(()), _notetype_line)
    return ',\n  "notetypes": ' + "".join(table) + "\n}\n"


def _table(
    entries: Mapping[str, Entry],
    copied: Iterator[tuple[str, str]],
    line_of: Callable[[str, Entry], str],
) -> Iterator[str]:
    # Each entry is encoded on its own line; indenting the whole document would make json
    # fall back to its far slower Python encoder.
    if not entries:
        yield "{}"
        return
    names = sorted(entries)
    lines = _lines(names, entries, copied, line_of)
    for start in range(0, len(names), _LINES_PER_PART):
        part = list(islice(lines, _LINES_PER_PART))
        yield ("{\n" if start == 0 else ",\n") + ",\n".join(part)
    yield "\n  }"


def _lines(
    names: list[str],
    entries: Mapping[str, Entry],
    copied: Iterator[tuple[str, str]],
    line_of: Callable[[str, Entry], str],
) -> Iterator[str]:
    """Yield each sorted name's line: copied when the old ledger has it as due, else made."""
    waiting = next(copied, None)
    for name in names:
        while waiting is not None and waiting[0] < name:
            waiting = next(copied, None)
        if waiting is not None and waiting[0] == name:
            yield waiting[1]
        else:
            yield line_of(name, entries[name])


def note_line(guid: str, entry: Entry, places: Places) -> str:
    """Return a note's line of the ledger, as the table of notes holds it."""
    # Short names and no spaces: a ledger line costs about as much as the fact it stands for.
    place = places.ids[(entry.deck, entry.section)]
    if entry.retired:
        # A retired note keeps no content hash or change time (see retire).
        return (
            f'{_quote(guid)}:{{"id":{entry.id},"k":{_quote(f"{entry.kind} {entry.key}")},'
            f'"r":{entry.retired},"s":"{place}","source":{_quote(entry.source)},'
            f'"t":{_quote(entry.text)}}}'
        )
    return (
        f'{_quote(guid)}:{{"c":{entry.changed},"h":{_quote(entry.hash)},"id":{entry.id},'
        f'"k":{_quote(f"{entry.kind} {entry.key}")},"s":"{place}",'
        f'"source":{_quote(entry.source)},"t":{_quote(entry.text)}}}'
    )


def _notetype_line(name: str, entry: Entry) -> str:
    every = {"changed": entry.changed, "hash": entry.hash, "key": entry.key, "source": ""}
    return f"{_quote(name)}: {_ENCODER.encode(every)}"


def _note_lines(unchanged: Unchanged, places: Places) -> Iterator[tuple[str, str]]:
    """Yield the GUID and line of each unchanged note the old ledger file lists, in its order."""
    digest = hashlib.sha256()
    with unchanged.path.open("rb") as stream:
        current = in_notes = False
        places_there: list[bytes] = []  # above the notes, the lines that start with a name
        for raw in stream:
            digest.update(raw)
            line = raw.decode("utf-8").rstrip("\n")
            if not in_notes:
                # Only a ledger of this format, its places named as now, has lines to copy.
                current = current or line == _FORMAT_LINE
                if line.startswith('"'):
                    places_there.append(raw)
                in_notes = current and line == _NOTES_LINE + "{" and places.agree(places_there)
                continue
            if not line.startswith('"'):
                in_notes = False
                continue
            guid = line[1 : line.find('":', 1)]
            # A GUID with an escaped character is made again rather than read back.
            if "\\" not in guid and guid in unchanged.guids:
                yield guid, line.removesuffix(",")
    if digest.hexdigest() != unchanged.sha256:
        raise NotesError(Loc(LEDGER_NAME, 1), "the ledger changed while the build ran; build again")


_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(", ", ": "))


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


_FORMAT_LINE = f'  "format": {LEDGER_FORMAT},'


_NOTES_LINE = '  "notes": '


# How json writes a string with ensure_ascii=False (its C encoder where there is one).
_quote = encode_basestring


_LINES_PER_PART = 2000
