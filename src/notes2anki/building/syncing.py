"""Build the notes, then put the deck into the user's collection as the sync target plans it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from notes2anki.building.compiling import compile_notes
from notes2anki.building.deck_content import notetype_entries
from notes2anki.building.options import BuildOptions, BuildResult
from notes2anki.building.outputs import Outputs
from notes2anki.building.pipeline import build
from notes2anki.frozen import frozen
from notes2anki.identity.changelog import CHANGELOG_NAME, write_changelog
from notes2anki.identity.entries import Entry, now
from notes2anki.identity.ledger import load_ledger
from notes2anki.targets.collection import opened
from notes2anki.targets.sync import BuiltDeck, SyncPlan, apply_sync, plan_sync


@frozen
class SyncResult:
    """What a sync did (or, on a dry run, would do) to which collection, and the build it made."""

    collection: Path
    plan: SyncPlan
    built: BuildResult | None  # None on a dry run: nothing was written


def sync(options: BuildOptions, collection_path: Path, dry_run: bool = False) -> SyncResult:
    """Build the notes and put the deck into the collection; on a dry run, only plan it."""
    # The collection is opened first: while Anki has it open, nothing is built or written.
    known = load_ledger(options.notes_dir, options.ledger_name).known()
    with opened(collection_path) as collection:
        if dry_run:
            compiled = compile_notes(options)
            config = compiled.config
            entries = notetype_entries(compiled.templates, compiled.ledger, compiled.clock)
            built_deck = BuiltDeck(
                config.name, compiled.entries, known, _mods(entries), config.removed
            )
            return SyncResult(collection_path, plan_sync(collection, built_deck), None)
        built = build(options)
        config = built.config
        # The deck's notes as the ledger the build wrote has them (a build that found nothing
        # changed hands back no notes: it reused the last one's deck).
        written = load_ledger(options.notes_dir, options.ledger_name)
        mods = _mods(written.notetypes)
        plan = plan_sync(
            collection, BuiltDeck(config.name, written.notes, known, mods, config.removed)
        )
        apply_sync(collection, plan, built.deck_path, config.name)
    if plan.changes():
        _log(options.out_dir, config.name, plan, collection_path)
    return SyncResult(collection_path, plan, built)


def _mods(notetypes: Mapping[str, Entry]) -> dict[int, int]:
    """Return each notetype's mod time by its id (the ledger keeps the id as its key)."""
    return {int(entry.key): entry.changed for entry in notetypes.values()}


def _log(out_dir: Path, deck_name: str, plan: SyncPlan, collection: Path) -> None:
    """Write what a sync did into the changelog, on top."""
    changelog = out_dir / CHANGELOG_NAME
    day = datetime.fromtimestamp(now(), UTC).strftime("%Y-%m-%d")
    entry = f"## Sync into `{collection}` ({day})\n\n{plan.counts()}.\n"
    with Outputs() as outputs:
        outputs.add(changelog, lambda stream: write_changelog(stream, changelog, deck_name, entry))
        outputs.commit()
