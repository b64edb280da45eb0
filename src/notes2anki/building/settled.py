"""Keep each file's finished notes between builds, to reuse while the file and ledger stay put."""

from __future__ import annotations

import contextlib
import pickle
from collections.abc import Mapping, Sequence
from pathlib import Path

from notes2anki.building.units import FileResult
from notes2anki.cards.drafts import readable
from notes2anki.cards.keys import Draft
from notes2anki.errors import NotesError
from notes2anki.frozen import frozen
from notes2anki.identity.entries import DeckRecord, Entry
from notes2anki.model import SourceFile
from notes2anki.records import Note, Skipped, Tally

INDEX_NAME = "settled"
_SUFFIX = ".settled"


@frozen
class Settled:
    """One file's share of a finished build: its notes, their ledger entries, what it counted."""

    notes: tuple[Note, ...]
    entries: tuple[Entry, ...]  # one for each note, in the same order
    media: tuple[tuple[str, bytes], ...]
    warnings: tuple[NotesError, ...]
    sections: int
    facts: int
    skipped: tuple[Skipped, ...]
    tally: Tally  # of the notes, counted once
    # Whether every card of the file made a note; one left out as the duplicate of another
    # file's card comes back when that card goes, so such a file is always read again.
    whole: bool = True

    def by_guid(self) -> dict[str, Entry]:
        """Return the notes' ledger entries by GUID."""
        return dict(zip((note.guid for note in self.notes), self.entries, strict=True))

    def compiled(self) -> FileResult | None:
        """Return the file's compilation, read back from its notes when they are all its cards."""
        # A note and its entry hold all of its draft: the file's compilation need not be kept.
        # (An entry read from the ledger alone lacks the whole key: then it is compiled again.)
        if not self.whole or not all(entry.spelled for entry in self.entries):
            return None
        drafts = tuple(
            Draft(
                note.kind,
                note.loc,
                entry.section,
                entry.spelled,
                entry.key,
                note.deck,
                note.fields,
                note.tags,
                entry.hash,
                # Read from the fields again: a note kept as it was keeps the text an older
                # build read from it, and a draft must read as one compiled now.
                readable(note.kind, note.fields),
            )
            for note, entry in zip(self.notes, self.entries, strict=True)
        )
        return FileResult(
            drafts, self.media, self.warnings, self.sections, self.facts, self.skipped
        )


@frozen
class SettledIndex:
    """What the last build settled: the ledger it wrote, and each file's settled notes by key."""

    ledger_sha256: str
    paths: tuple[str, ...]  # every file the build read
    files: Mapping[str, str]  # path -> key of its settled notes
    whole: frozenset[str]  # the paths of files whose every card settled into a note
    notetypes: Mapping[str, Entry]
    deck: DeckRecord
    retired: Mapping[str, Entry]  # the notes the ledger keeps that the deck no longer has


class SettledStore:
    """Settled files in the build cache's folder, each under its file's compile key."""

    def __init__(self, folder: Path, environment: str) -> None:
        self.folder = folder
        # The index is read only where the code and templates that wrote it still run: what
        # it names was pickled by them (a file's key names them as well).
        self.index_name = f"{INDEX_NAME}-{environment[:16]}"

    def index(self) -> SettledIndex | None:
        """Read what the last build settled, if it left a whole record of it."""
        found = _load(self.folder / self.index_name)
        return found if isinstance(found, SettledIndex) else None

    def get(self, key: str) -> Settled | None:
        """Return a file's settled notes, if they are there whole."""
        found = _load(self.folder / f"{key}{_SUFFIX}")
        return found if isinstance(found, Settled) else None

    def file_names(self, keys: Sequence[str]) -> set[str]:
        """Name the files that hold the settled notes of the keys."""
        return {f"{key}{_SUFFIX}" for key in keys} | {self.index_name}

    def put(self, files: Mapping[str, Settled]) -> None:
        """Store files' settled notes by key; until `vouch`, none of the store is to be read."""
        # The index goes first: stored notes whose build may yet fail are never read as
        # settled. A store that cannot be written only costs time.
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / self.index_name).unlink(missing_ok=True)
            for key, settled in files.items():
                _dump(self.folder / f"{key}{_SUFFIX}", settled)

    def vouch(self, index: SettledIndex) -> None:
        """Store the index that makes the settled notes count: once the build has succeeded."""
        with contextlib.suppress(OSError):
            _dump(self.folder / self.index_name, index)


@frozen
class Settling:
    """What a build leaves settled for the next: each file's notes, stored once it succeeded."""

    store: SettledStore
    paths: tuple[str, ...]  # every file the build read
    new: dict[str, tuple[str, Settled]]  # path -> key and notes, for files settled anew
    kept: dict[str, str]  # path -> key, for files whose settled notes were reused

    def files(self) -> dict[str, str]:
        """Return the key of every file's settled notes, by path: new and reused."""
        return {path: key for path, (key, _) in self.new.items()} | self.kept

    def whole(self) -> frozenset[str]:
        """Return the paths of the files whose every card settled into a note."""
        return frozenset(path for path, (_, settled) in self.new.items() if settled.whole) | set(
            self.kept
        )


@frozen
class Unit:
    """One compiled file of a build, as it settles: its key, result, cards and their count."""

    source: SourceFile
    key: str
    result: FileResult
    cards: int  # how many cards it made (its result may no longer hold them)
    tally: Tally


def settle(
    units: Sequence[Unit], notes_by_path: Mapping[str, list[Note]], entries: Mapping[str, Entry]
) -> dict[str, tuple[str, Settled]]:
    """Settle the notes each compiled file made, and whether they are all of its cards."""
    settled: dict[str, tuple[str, Settled]] = {}
    for unit in units:
        own = notes_by_path.get(unit.source.path, [])
        result = unit.result
        settled[unit.source.path] = (
            unit.key,
            Settled(
                tuple(own),
                tuple(entries[note.guid] for note in own),
                result.media,
                result.warnings,
                result.sections,
                result.facts,
                result.skipped,
                unit.tally,
                whole=len(own) == unit.cards,
            ),
        )
    return settled


def _load(path: Path) -> object:
    try:
        with path.open("rb") as stream:
            return pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None


def _dump(path: Path, value: object) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    temporary.replace(path)
