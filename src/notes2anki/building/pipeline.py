"""The build: answer at once when nothing changed since the last one, else compile and write."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from notes2anki.building.buildcache import fingerprint, load_record
from notes2anki.building.options import BuildOptions, BuildResult
from notes2anki.building.outputs import file_sha256, remove_older_decks
from notes2anki.cards.template_files import DEFAULT_TEMPLATES
from notes2anki.identity.changelog import Changes
from notes2anki.reading.config import DeckConfig
from notes2anki.reading.obsidian import vault_settings

__all__ = ["BuildOptions", "BuildResult", "build"]


def build(options: BuildOptions) -> BuildResult:
    """Compile a notes folder into a deck file, and update its ledger and changelog."""
    with collector_paused():
        result = _build(options)
    if options.keep:
        return result
    return replace(result, removed=remove_older_decks(result.deck_path, result.config.slug))


@contextmanager
def collector_paused() -> Iterator[None]:
    """Keep Python's cycle collector off for a while, and on again after."""
    # A build makes its drafts, notes and ledger entries by the hundred thousand, none of them
    # in a cycle; as they pile up the collector would walk them all again and again, a tenth
    # of a large build's time. Worker processes forked meanwhile start with it off as well.
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            # Everything made meanwhile is young to the collector, and its next collection
            # would walk it all, just before most of it is freed. Moved at once among the old
            # objects, it waits for a full collection instead, like anything long-lived.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def _build(options: BuildOptions) -> BuildResult:
    # One file alone is quick to build, and its folder may hold anything: nothing is cached.
    whole_folder = options.only is None and options.notes_dir.is_dir()
    inputs = (
        fingerprint(
            options.notes_dir,
            options.templates_dir or DEFAULT_TEMPLATES,
            options.out_dir,
            vault_settings(options.notes_dir),
        )
        if whole_folder
        else ""
    )
    reused = reuse_last_build(options, inputs)
    if reused is not None:
        return reused
    # Imported only now: a build that finds nothing changed loads none of the stages.
    from notes2anki.building.writing import compile_and_write

    return compile_and_write(options, inputs, whole_folder)


def reuse_last_build(options: BuildOptions, inputs: str) -> BuildResult | None:
    """Return the last build's result when nothing it read has changed and its deck is intact."""
    last = load_record(options.out_dir)
    if last is None or not inputs or last.fingerprint != inputs:
        return None
    deck_path = options.out_dir / last.deck
    if (
        file_sha256(options.ledger_path) != last.ledger_sha256
        or file_sha256(deck_path) != last.deck_sha256
        or (options.strict and last.summary.warnings)
    ):
        return None
    base = last.version.rpartition(".")[0]
    return BuildResult(
        deck_path, DeckConfig(last.name, base), last.version, Changes(), last.summary, ()
    )
