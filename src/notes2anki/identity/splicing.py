"""Write a ledger from the last one: its runs of unchanged lines copied as bytes, the rest made."""

from __future__ import annotations

import hashlib
from typing import BinaryIO

from notes2anki.errors import NotesError
from notes2anki.identity.ledger import LEDGER_FORMAT, LEDGER_NAME, Ledger
from notes2anki.identity.ledger_lines import (
    Places,
    Unchanged,
    ledger_head,
    ledger_tail,
    note_line,
    write_ledger,
)
from notes2anki.model import Loc

_FORMAT = f'\n  "format": {LEDGER_FORMAT},\n'.encode()
_NOTES_OPEN = b'\n  "notes": {\n'
_NOTES_CLOSE = b'\n  },\n  "notetypes": '
_SEPARATOR = b",\n"
_CHUNK = 1 << 20
_TAIL_BYTES = 1 << 16  # more than the notetypes table and the end of the file take
# Beyond this many notes that go, change or come, they are merged a line at a time instead.
MAX_SPLICES = 2000

# A piece of the new table of notes: a run [start, stop) of the old file's lines, copied as
# they are, then lines made anew.
Piece = tuple[int, int, list[bytes]]


def write_spliced(stream: BinaryIO, ledger: Ledger, unchanged: Unchanged) -> None:
    """Write the ledger, copying the last ledger's lines of unchanged notes a run at a time."""
    # A rebuild after a small edit keeps nearly every line of the last ledger. Its notes are
    # sorted by GUID, so where each line that goes, changes or comes stands is found by
    # bisection, and the runs between are copied without reading them line by line. Every
    # byte of the old file is still read, in order, for its hash.
    places = Places(ledger.known().values())
    with unchanged.path.open("rb") as old:
        pieces = _pieces(old, ledger, unchanged, places)
        if pieces is None:
            old.close()
            write_ledger(stream, ledger, unchanged, places)
            return
        digest = hashlib.sha256()
        stream.write(ledger_head(ledger, places).encode() + b"{\n")
        position, first = 0, True
        for start, stop, made in pieces:
            _copy(old, position, start, digest)  # the header, or lines that go: hashed only
            if start < stop:
                stream.write(b"" if first else _SEPARATOR)
                _copy(old, start, stop, digest, stream)
                first = False
            for line in made:
                stream.write((b"" if first else _SEPARATOR) + line)
                first = False
            position = stop
        _copy(old, position, None, digest)
        stream.write(b"\n  }" + ledger_tail(ledger).encode())
    if digest.hexdigest() != unchanged.sha256:
        raise NotesError(Loc(LEDGER_NAME, 1), "the ledger changed while the build ran; build again")


def _pieces(
    old: BinaryIO, ledger: Ledger, unchanged: Unchanged, places: Places
) -> list[Piece] | None:
    """Cut the new table of notes into runs of old lines and lines made; None if it cannot be."""
    opened = _notes_open(old, places)
    size = old.seek(0, 2)
    tail_start = old.seek(max(0, size - _TAIL_BYTES))
    closed = old.read().rfind(_NOTES_CLOSE)
    every = ledger.known()
    made = {guid: entry for guid, entry in every.items() if guid not in unchanged.guids}
    # A note of a changed file that came out as it was keeps its line: the old entry's.
    going = sorted(
        {guid for guid, entry in unchanged.dropped.items() if made.get(guid) != entry}
        | {guid for guid, entry in made.items() if unchanged.dropped.get(guid) != entry}
    )
    if opened is None or closed < 0 or not ledger.notes or len(going) > MAX_SPLICES:
        return None
    # Copied lines are those of the unchanged notes: each must be in the new ledger.
    if any(guid not in every for guid in unchanged.guids):
        return None
    lines = _Lines(old, opened, tail_start + closed)
    pieces: list[Piece] = []
    run = lines.start
    for guid in going:
        # Quoted with escapes, a GUID would not sort as written: such a ledger is merged.
        wanted = guid.encode()
        if not guid.isascii() or not guid.isprintable() or b'"' in wanted or b"\\" in wanted:
            return None
        at = lines.first_from(wanted)
        if at is None:
            return None
        line = [note_line(guid, made[guid], places).encode()] if guid in made else []
        # The run ends before the separator that follows its last line, if any line follows.
        stop = at - len(_SEPARATOR) if lines.start < at < lines.end else at
        pieces.append((run, max(run, stop), line))
        run = lines.next_start(at + 1) if lines.guid_at(at) == wanted else at
    pieces.append((run, lines.end, []))
    return pieces


def _notes_open(old: BinaryIO, places: Places) -> int | None:
    """Return where the old ledger's first line of notes starts, if its lines can be copied."""
    # Only a ledger of this format, its places named as now, has lines to copy. Its table of
    # places may be long: the head is read until the table of notes opens.
    head = b""
    while (opened := head.find(_NOTES_OPEN)) < 0:
        chunk = old.read(_CHUNK)
        if not chunk:
            return None
        head += chunk
    above = head[:opened]
    named = [line for line in above.split(b"\n") if line.startswith(b'"')]
    copyable = _FORMAT in above and places.agree(named)
    return opened + len(_NOTES_OPEN) if copyable else None


class _Lines:
    """The old ledger's lines of notes, from start to end, each read where it is asked for."""

    def __init__(self, old: BinaryIO, start: int, end: int) -> None:
        self.old, self.start, self.end = old, start, end

    def first_from(self, guid: bytes) -> int | None:
        """Return where the first line whose GUID is not below guid starts (the end if none)."""
        # Bisection over byte offsets: the first line starting at or after an offset has a
        # GUID that never falls as the offset grows.
        low, high = self.start, self.end
        while low < high:
            middle = (low + high) // 2
            start = self.next_start(middle)
            found = self.guid_at(start)
            if start < self.end and found is None:
                return None  # not a note's line: the file is not as a build wrote it
            if start >= self.end or (found is not None and found >= guid):
                high = middle
            else:
                low = middle + 1
        return self.next_start(low)

    def next_start(self, offset: int) -> int:
        """Return where the first line starting at or after offset starts (or the end)."""
        if offset <= self.start:
            return self.start
        self.old.seek(offset - 1)
        while offset - 1 < self.end:
            chunk = self.old.read(4096)
            if not chunk:
                break
            newline = chunk.find(b"\n")
            if newline >= 0:
                return min(offset + newline, self.end)
            offset += len(chunk)
        return self.end

    def guid_at(self, start: int) -> bytes | None:
        """Read the GUID of the line starting at start; None past the end or on another line."""
        if start >= self.end:
            return None
        self.old.seek(start)
        head = self.old.read(64)
        close = head.find(b'":', 1)
        if not head.startswith(b'"') or close < 0 or b"\\" in head[:close]:
            return None
        return head[1:close]


def _copy(
    old: BinaryIO,
    start: int,
    stop: int | None,
    digest: hashlib._Hash,
    out: BinaryIO | None = None,
) -> None:
    """Read the old file from start to stop (or its end), hashing it, and copy it to out."""
    old.seek(start)
    left = -1 if stop is None else stop - start
    while left:
        chunk = old.read(_CHUNK if left < 0 else min(_CHUNK, left))
        if not chunk:
            break
        digest.update(chunk)
        if out is not None:
            out.write(chunk)
        if left > 0:
            left -= len(chunk)
