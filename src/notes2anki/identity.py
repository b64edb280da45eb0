"""Give notes stable identities, ids and mod times, and keep them in the ledger beside the notes."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import field, replace
from itertools import islice
from json.encoder import encode_basestring
from pathlib import Path
from typing import BinaryIO

from notes2anki.errors import NotesError
from notes2anki.frozen import frozen
from notes2anki.model import CardSpec, Kind, Loc
from notes2anki.text import fold_name, normalize

LEDGER_NAME = "notes2anki.lock"
LEDGER_FORMAT = 2
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_PAIR_BASE = len(_BASE62) ** 2
_BASE62_PAIRS = [high + low for high in _BASE62 for low in _BASE62]
# Note ids are milliseconds (Anki shows them as "added"); new notes are spaced this far apart so
# that a note's card ids (note id + card number) never meet the next note's.
ID_STRIDE = 100


@frozen
class Entry:
    """What the ledger remembers of one note (or notetype) from the last build."""

    key: str
    hash: str
    changed: int
    source: str
    id: int = 0
    kind: str = ""
    section: str = ""
    body: str = ""
    text: str = ""
    # The Anki deck its cards were put in: an import never moves them when it changes.
    deck: str = ""
    # When the note left the deck (0 while it is in): a fact that comes back gets it again.
    retired: int = 0

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
                self.body,
                self.text,
                self.deck,
                self.retired,
            ),
        )


@frozen
class DeckRecord:
    """The version the last build was given and the content it was given for."""

    version: str = ""
    content: str = ""


@frozen
class Ledger:
    """Notes by GUID, notetypes by name, the deck's version record, and notes that left it."""

    notes: Mapping[str, Entry]
    notetypes: Mapping[str, Entry]
    deck: DeckRecord = field(default_factory=DeckRecord)
    # Notes of earlier builds no longer in the deck, by GUID: in the file, among the notes.
    retired: Mapping[str, Entry] = field(default_factory=dict)

    def known(self) -> dict[str, Entry]:
        """Return every note the ledger knows, in the deck or retired, by GUID."""
        return {**self.retired, **self.notes} if self.retired else dict(self.notes)


EMPTY_LEDGER = Ledger({}, {})


@frozen
class Draft:
    """A rendered card waiting for its identity: key, fields and what matching compares."""

    # Only what identity needs of the card, so that cached drafts stay small.
    kind: Kind
    loc: Loc
    section: str
    key: str
    deck: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    content: str
    body: str
    text: str  # what the card says as plain text, for the ledger and for matching edits

    def __reduce__(self) -> tuple[type[Draft], tuple[object, ...]]:
        """Pickle as a call with the values, far quicker than the generic dataclass state."""
        return (
            Draft,
            (
                self.kind,
                self.loc,
                self.section,
                self.key,
                self.deck,
                self.fields,
                self.tags,
                self.content,
                self.body,
                self.text,
            ),
        )


def now() -> int:
    """Return the time to stamp changes with: SOURCE_DATE_EPOCH when set, else the clock."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(fixed) if fixed.isdigit() else int(time.time())


def note_key(deck: str, spec: CardSpec) -> str:
    """Say what a note is about: deck, section path, kind, parent items and prompt, normalized."""
    parts = (deck, *spec.section.path, spec.kind.value, *spec.context)
    return " / ".join((*map(normalize, parts), fold_name(spec.prompt)))


def section_key(spec: CardSpec) -> str:
    """Name a note's section for matching, normalized."""
    return " / ".join(normalize(part) for part in spec.section.path)


def guid_for(key: str) -> str:
    """Derive a short, stable GUID from a note key."""
    number = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big")
    # Base 62, two digits a step: the same digits as one at a time, in half the steps.
    pairs = []
    while number:
        number, pair = divmod(number, _PAIR_BASE)
        pairs.append(_BASE62_PAIRS[pair])
    return "".join(reversed(pairs)).lstrip("0") or "0"


def content_hash(parts: Iterable[str]) -> str:
    """Hash what Anki would store for a note, so that any visible change is noticed."""
    # Every part is followed by a unit separator; joined first, the text is hashed in one go.
    every = tuple(parts)
    joined = "\x1f".join(every) + "\x1f" if every else ""
    return hashlib.sha256(joined.encode()).hexdigest()[:20]


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
    # What matching needs of it, no more: its deck and line are the past, its file may be not.
    left = {
        guid: replace(entry, retired=clock, deck="", source=Loc.read(entry.source).path)
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
        shared: dict[str, str] = {}
        data = json.loads(
            path.read_text(encoding="utf-8"), object_hook=lambda raw: _entry_of(raw, shared)
        )
    except UnicodeDecodeError:
        raise NotesError(Loc(name, 1), "ledger is not valid UTF-8") from None
    except json.JSONDecodeError as exc:
        raise NotesError(
            Loc(name, exc.lineno),
            f"ledger is not valid JSON ({exc.msg}); restore it from version control "
            "or delete it to start identities afresh",
        ) from None
    if not isinstance(data, dict) or data.get("format") not in (1, LEDGER_FORMAT):
        raise NotesError(Loc(name, 1), f"ledger format is not {LEDGER_FORMAT}")
    deck = data.get("deck", {})
    if not isinstance(deck, dict) or not all(isinstance(v, str) for v in deck.values()):
        raise NotesError(Loc(name, 1), "ledger field 'deck' is malformed")
    every = _entries(data, "notes", name)
    return Ledger(
        {guid: entry for guid, entry in every.items() if not entry.retired},
        _entries(data, "notetypes", name),
        DeckRecord(deck.get("version", ""), deck.get("content", "")),
        {guid: entry for guid, entry in every.items() if entry.retired},
    )


@frozen
class Unchanged:
    """Notes whose lines the ledger file at path, whose SHA-256 is known, already has as due."""

    path: Path
    sha256: str
    guids: Collection[str]
    # The file's other notes, by GUID: their lines go, or change if their entries do.
    dropped: Mapping[str, Entry] = field(default_factory=dict)


def write_ledger(stream: BinaryIO, ledger: Ledger, unchanged: Unchanged | None = None) -> None:
    """Write the ledger as sorted JSON, one note to a line, so that it diffs well."""
    # The lines of unchanged notes are copied from the last ledger instead of made again: as
    # sorted as the new ones, the two are merged a line at a time.
    copied = _note_lines(unchanged) if unchanged is not None else iter(())
    for part in _ledger_parts(ledger, copied):
        stream.write(part.encode())
    for _ in copied:  # read the old file to its end, where its hash is checked
        pass


def _ledger_parts(ledger: Ledger, copied: Iterator[tuple[str, str]]) -> Iterator[str]:
    """Yield the ledger's text in pieces of many lines each."""
    yield ledger_head(ledger)
    yield from _table(ledger.known(), copied)
    yield ledger_tail(ledger)


def ledger_head(ledger: Ledger) -> str:
    """Return the ledger's text up to its table of notes."""
    deck = {"content": ledger.deck.content, "version": ledger.deck.version}
    return f'{{\n  "deck": {_ENCODER.encode(deck)},\n  "format": {LEDGER_FORMAT},\n  "notes": '


def ledger_tail(ledger: Ledger) -> str:
    """Return the ledger's text after its table of notes: the notetypes, and the end."""
    return ',\n  "notetypes": ' + "".join(_table(ledger.notetypes, iter(()))) + "\n}\n"


def _table(entries: Mapping[str, Entry], copied: Iterator[tuple[str, str]]) -> Iterator[str]:
    # Each entry is encoded on its own line by json's C encoder; indenting the whole document
    # would make json fall back to its far slower Python encoder.
    if not entries:
        yield "{}"
        return
    names = sorted(entries)
    lines = _lines(names, entries, copied)
    for start in range(0, len(names), _LINES_PER_PART):
        part = list(islice(lines, _LINES_PER_PART))
        yield ("{\n" if start == 0 else ",\n") + ",\n".join(part)
    yield "\n  }"


def _lines(
    names: list[str], entries: Mapping[str, Entry], copied: Iterator[tuple[str, str]]
) -> Iterator[str]:
    """Yield each sorted name's line: copied when the old ledger has it as due, else made."""
    waiting = next(copied, None)
    for name in names:
        while waiting is not None and waiting[0] < name:
            waiting = next(copied, None)
        if waiting is not None and waiting[0] == name:
            yield waiting[1]
        else:
            yield note_line(name, entries[name])


def note_line(guid: str, entry: Entry) -> str:
    """Return a note's line of the ledger, as the table of notes holds it."""
    return f"    {_quote(guid)}: {_entry_line(entry)}"


def _note_lines(unchanged: Unchanged) -> Iterator[tuple[str, str]]:
    """Yield the GUID and line of each unchanged note the old ledger file lists, in its order."""
    digest = hashlib.sha256()
    with unchanged.path.open("rb") as stream:
        in_notes = False
        for raw in stream:
            digest.update(raw)
            line = raw.decode("utf-8").rstrip("\n")
            if not in_notes:
                in_notes = line == '  "notes": {'
                continue
            if not line.startswith('    "'):
                in_notes = False
                continue
            guid = line[5 : line.find('": ', 5)]
            # A GUID with an escaped character is made again rather than read back.
            if "\\" not in guid and guid in unchanged.guids:
                yield guid, line.removesuffix(",")
    if digest.hexdigest() != unchanged.sha256:
        raise NotesError(Loc(LEDGER_NAME, 1), "the ledger changed while the build ran; build again")


_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(", ", ": "))
# How json writes a string with ensure_ascii=False (its C encoder where there is one).
_quote = encode_basestring
_LINES_PER_PART = 2000


def _entry_line(entry: Entry) -> str:
    """Encode an entry as json.dumps would with sorted keys, leaving out empty optional fields."""
    # Written out field by field: building a dict per note for json to sort costs twice as much.
    # A note's entry has every field: one string made at once, a third quicker than by parts.
    if (
        entry.body
        and entry.deck
        and entry.id
        and entry.kind
        and entry.section
        and entry.text
        and not entry.retired
    ):
        return (
            f'{{"body": {_quote(entry.body)}, "changed": {entry.changed}, '
            f'"deck": {_quote(entry.deck)}, "hash": {_quote(entry.hash)}, '
            f'"id": {entry.id}, "key": {_quote(entry.key)}, '
            f'"kind": {_quote(entry.kind)}, "section": {_quote(entry.section)}, '
            f'"source": {_quote(entry.source)}, "text": {_quote(entry.text)}}}'
        )
    parts = [f'"body": {_quote(entry.body)}'] if entry.body else []
    parts.append(f'"changed": {entry.changed}')
    if entry.deck:
        parts.append(f'"deck": {_quote(entry.deck)}')
    parts.append(f'"hash": {_quote(entry.hash)}')
    if entry.id:
        parts.append(f'"id": {entry.id}')
    parts.append(f'"key": {_quote(entry.key)}')
    if entry.kind:
        parts.append(f'"kind": {_quote(entry.kind)}')
    if entry.retired:
        parts.append(f'"retired": {entry.retired}')
    if entry.section:
        parts.append(f'"section": {_quote(entry.section)}')
    parts.append(f'"source": {_quote(entry.source)}')
    if entry.text:
        parts.append(f'"text": {_quote(entry.text)}')
    return "{" + ", ".join(parts) + "}"


def _entries(data: dict[str, object], name: str, ledger: str) -> dict[str, Entry]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise NotesError(Loc(ledger, 1), f"ledger field {name!r} is not an object")
    for guid, entry in table.items():
        if not isinstance(entry, Entry):
            raise NotesError(Loc(ledger, 1), f"ledger entry {guid!r} in {name!r} is malformed")
    return table


def _entry_of(raw: dict[str, object], shared: dict[str, str]) -> object:
    """Turn a parsed JSON object that is a whole ledger entry into an Entry; leave others be."""
    # Checked field by field: this runs once for every note of the deck.
    get = raw.get
    key, content, changed, source = get("key"), get("hash"), get("changed"), get("source")
    note_id, kind = get("id", 0), get("kind", "")
    section, body, text = get("section", ""), get("body", ""), get("text", "")
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
        and type(body) is str
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
        body,
        text,
        shared.setdefault(deck, deck),
        retired,
    )
