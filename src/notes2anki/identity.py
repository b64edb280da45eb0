"""Give notes stable identities and mod times, and keep them in the ledger beside the notes."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from notes2anki.errors import NotesError
from notes2anki.model import CardSpec, Loc
from notes2anki.text import normalize

LEDGER_NAME = "notes2anki.lock"
LEDGER_FORMAT = 1
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True, slots=True)
class Entry:
    """What the ledger remembers of one note: its key, content hash, last change and source."""

    key: str
    hash: str
    changed: int
    source: str


@dataclass(frozen=True, slots=True)
class Ledger:
    """Notes by GUID and notetypes by name, as the last build left them."""

    notes: Mapping[str, Entry]
    notetypes: Mapping[str, Entry]


EMPTY_LEDGER = Ledger({}, {})


def now() -> int:
    """Return the time to stamp changes with: SOURCE_DATE_EPOCH when set, else the clock."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(fixed) if fixed.isdigit() else int(time.time())


def note_key(deck: str, spec: CardSpec) -> str:
    """Say what a note is about: deck, section path, kind, parent items and prompt, normalized."""
    parts = (deck, *spec.section.path, spec.kind.value, *spec.context, spec.prompt)
    return " / ".join(normalize(part) for part in parts)


def guid_for(key: str) -> str:
    """Derive a short, stable GUID from a note key."""
    number = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big")
    digits = []
    while number:
        number, digit = divmod(number, 62)
        digits.append(_BASE62[digit])
    return "".join(reversed(digits)) or "0"


def content_hash(parts: Iterable[str]) -> str:
    """Hash what Anki would store for a note, so that any visible change is noticed."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\x1f")
    return digest.hexdigest()[:20]


def stamp(previous: Entry | None, key: str, digest: str, source: str, clock: int) -> Entry:
    """Keep the change time of unchanged content; give changed content a strictly newer time."""
    if previous is not None and previous.hash == digest:
        return Entry(key, digest, previous.changed, source)
    changed = clock if previous is None else max(clock, previous.changed + 1)
    return Entry(key, digest, changed, source)


def load_ledger(notes_dir: Path) -> Ledger:
    """Read the ledger; a missing one is empty, a broken one is an error naming the file."""
    path = notes_dir / LEDGER_NAME
    if not path.exists():
        return EMPTY_LEDGER
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise NotesError(Loc(LEDGER_NAME, 1), "ledger is not valid UTF-8") from None
    except json.JSONDecodeError as exc:
        raise NotesError(
            Loc(LEDGER_NAME, exc.lineno),
            f"ledger is not valid JSON ({exc.msg}); restore it from version control "
            "or delete it to start identities afresh",
        ) from None
    if not isinstance(data, dict) or data.get("format") != LEDGER_FORMAT:
        raise NotesError(Loc(LEDGER_NAME, 1), f"ledger format is not {LEDGER_FORMAT}")
    return Ledger(_entries(data, "notes"), _entries(data, "notetypes"))


def dump_ledger(ledger: Ledger) -> str:
    """Write the ledger as sorted, indented JSON so that it diffs well."""
    data = {
        "format": LEDGER_FORMAT,
        "notes": {guid: _entry_json(entry) for guid, entry in ledger.notes.items()},
        "notetypes": {name: _entry_json(entry) for name, entry in ledger.notetypes.items()},
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _entry_json(entry: Entry) -> dict[str, object]:
    return {"key": entry.key, "hash": entry.hash, "changed": entry.changed, "source": entry.source}


def _entries(data: dict[str, object], name: str) -> dict[str, Entry]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise NotesError(Loc(LEDGER_NAME, 1), f"ledger field {name!r} is not an object")
    entries: dict[str, Entry] = {}
    for guid, raw in table.items():
        if not (
            isinstance(raw, dict)
            and isinstance(raw.get("key"), str)
            and isinstance(raw.get("hash"), str)
            and isinstance(raw.get("changed"), int)
            and isinstance(raw.get("source"), str)
        ):
            raise NotesError(Loc(LEDGER_NAME, 1), f"ledger entry {guid!r} in {name!r} is malformed")
        entries[guid] = Entry(raw["key"], raw["hash"], raw["changed"], raw["source"])
    return entries
