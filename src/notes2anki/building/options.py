"""Say what a build reads and writes, and what it answers: the deck written, what changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from notes2anki.frozen import frozen
from notes2anki.identity.ledger import LEDGER_NAME

if TYPE_CHECKING:
    from notes2anki.building.reuse import Decision
    from notes2anki.identity.changelog import Changes
    from notes2anki.reading.config import DeckConfig
    from notes2anki.records import Note, Summary


@frozen
class BuildOptions:
    """Where to read notes and templates, where to write, and how strict to be."""

    notes_dir: Path
    out_dir: Path
    templates_dir: Path | None = None
    strict: bool = False
    # Told (stage, done, total) as the build goes; the CLI draws a progress bar with it.
    progress: Callable[[str, int, int], None] | None = None
    # Processes that compile files; None: one per core when there is enough to do.
    jobs: int | None = None
    # One notes file in the folder, built alone: its own ledger, no deck.toml, no cache.
    only: str | None = None
    # Older deck files of the deck stay in the output folder.
    keep: bool = False

    @property
    def ledger_name(self) -> str:
        """Return the ledger's file name: the folder's, or the one file's own."""
        return LEDGER_NAME if self.only is None else f"{Path(self.only).stem}.{LEDGER_NAME}"

    @property
    def ledger_path(self) -> Path:
        """Return where the ledger is kept: in the notes folder."""
        return self.notes_dir / self.ledger_name


@frozen
class BuildResult:
    """The deck file written, its version, what changed, and what the build counted."""

    deck_path: Path
    config: DeckConfig
    version: str
    changes: Changes
    summary: Summary
    notes: tuple[Note, ...]
    # Older deck files of the same deck, removed from the output folder.
    removed: tuple[Path, ...] = ()
    # Each file's notes reused or compiled, and why; none when the whole last build was reused.
    decisions: tuple[Decision, ...] = ()
