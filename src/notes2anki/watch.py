"""Rebuild whenever the notes or templates change: the only module that uses watchfiles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from watchfiles import Change, watch

from notes2anki.identity import LEDGER_NAME


def watch_and_rebuild(
    folders: tuple[Path, ...], rebuild: Callable[[tuple[str, ...]], None], ready: Callable[[], None]
) -> None:
    """Call ready once the watch is live, then rebuild after every burst of saves, until Ctrl-C."""
    announced = False
    # yield_on_timeout gives an empty batch once the watcher runs: only then is a save seen.
    for changes in watch(
        *folders, watch_filter=_relevant, debounce=300, rust_timeout=300, yield_on_timeout=True
    ):
        if not announced:
            announced = True
            ready()
        names = tuple(sorted({Path(path).name for _, path in changes}))
        if names:
            rebuild(names)


def _relevant(change: Change, path: str) -> bool:
    # The build writes the ledger and temporary files itself; seeing them would loop forever.
    name = Path(path).name
    return name != LEDGER_NAME and not name.startswith(".") and not name.endswith("~")
