"""Rebuild whenever the notes or templates change: the only module that uses watchfiles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from notes2anki.identity.ledger import is_ledger
from notes2anki.reading.own_files import is_deck_file, is_output

if TYPE_CHECKING:
    from watchfiles import Change


def watch_and_rebuild(
    folders: tuple[Path, ...],
    out_dir: Path,
    rebuild: Callable[[tuple[str, ...]], None],
    ready: Callable[[], None],
) -> None:
    """Call ready once the watch is live, then rebuild after every burst of saves, until Ctrl-C."""
    # Imported here: every other command loads this module with the command line, not watchfiles.
    from watchfiles import watch

    announced = False
    # The watcher names changed files by their absolute paths.
    roots = tuple(folder.resolve() for folder in folders)

    def relevant(change: Change, path: str) -> bool:
        return is_input(Path(path), roots, out_dir)

    # yield_on_timeout gives an empty batch once the watcher runs: only then is a save seen.
    for changes in watch(
        *roots, watch_filter=relevant, debounce=300, rust_timeout=300, yield_on_timeout=True
    ):
        if not announced:
            announced = True
            ready()
        names = tuple(sorted({Path(path).name for _, path in changes}))
        if names:
            rebuild(names)


def is_input(path: Path, folders: tuple[Path, ...], out_dir: Path) -> bool:
    """Tell whether a changed file could change the deck: no output, ledger or hidden file."""
    # Whatever a build writes, seen as a change, would start the next build: forever.
    if is_ledger(path) or path.name.endswith("~") or is_deck_file(path):
        return False
    root = next((folder for folder in folders if path.is_relative_to(folder)), None)
    if root is None:
        return False
    parts = path.relative_to(root).parts
    if any(part.startswith(".") for part in parts):
        return False
    folders_between = (root.joinpath(*parts[:depth]) for depth in range(1, len(parts)))
    return not any(is_output(folder, out_dir) for folder in folders_between)
