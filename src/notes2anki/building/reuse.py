"""Decide, in one place, which files' notes a build reuses and which it compiles, and say why."""

from __future__ import annotations

from collections.abc import Mapping

from notes2anki.building.outputs import file_sha256
from notes2anki.building.settled import Settled, SettledIndex, SettledStore
from notes2anki.building.setup import Setup
from notes2anki.frozen import frozen
from notes2anki.identity.entries import Entry
from notes2anki.identity.ledger import Ledger, load_ledger


@frozen
class Decision:
    """Whether one file's notes are reused as the last build left them, and why (or why not)."""

    path: str
    reused: bool
    reason: str


@frozen
class Reuse:
    """What a build takes from the last one: a decision for each file, in file order."""

    decisions: tuple[Decision, ...]
    # The last build's record of what it settled, while its ledger is the one on disk: then the
    # ledger is the settled notes' entries, and is read from them rather than from the file.
    index: SettledIndex | None = None
    store: SettledStore | None = None

    def kept(self) -> tuple[int, ...]:
        """Return the numbers of the files whose notes are reused."""
        return tuple(number for number, one in enumerate(self.decisions) if one.reused)

    def compiled(self) -> tuple[int, ...]:
        """Return the numbers of the files compiled anew (or taken from the file cache)."""
        return tuple(number for number, one in enumerate(self.decisions) if not one.reused)

    def nothing(self, reason: str) -> Reuse:
        """Return this plan with nothing reused, every file compiled for the reason given."""
        return Reuse(tuple(Decision(one.path, False, reason) for one in self.decisions))


@frozen
class Reused:
    """What a build took from the last one: the ledger to match with, and the reused notes."""

    ledger: Ledger
    kept: Mapping[int, Settled]  # by file number

    def settled(self) -> dict[str, Entry]:
        """Return the reused notes' ledger entries, by GUID."""
        return {
            guid: entry for unit in self.kept.values() for guid, entry in unit.by_guid().items()
        }


def plan_reuse(setup: Setup) -> Reuse:
    """Decide which files' notes to reuse: those the last build settled, if nothing moved since."""
    # Sound only while the ledger is the one the last build wrote, and every file it read left
    # its notes settled: then the ledger is those notes' entries and nothing else, and a file
    # that did not change would get back the very notes it has.
    paths = tuple(source.path for source in setup.files)
    every = Reuse(tuple(Decision(path, False, "") for path in paths))
    if setup.cache is None:
        return every.nothing("nothing is cached when a build is not of a whole notes folder")
    store = SettledStore(setup.cache.folder, setup.cache.environment)
    index = store.index()
    if index is None:
        return every.nothing("no earlier build with this code, settings and templates settled it")
    if file_sha256(setup.options.ledger_path) != index.ledger_sha256:
        return every.nothing("the ledger is not the one the last build wrote")
    decisions = tuple(
        Decision(path, *_decide(index, path, key))
        for path, key in zip(paths, setup.keys, strict=True)
    )
    return Reuse(decisions, index, store)


def _decide(index: SettledIndex, path: str, key: str) -> tuple[bool, str]:
    """Decide one file: reused when the last build settled it as it is now, whole."""
    if path not in index.files:
        return False, "new since the last build"
    if index.files[path] != key:
        return False, "changed since the last build"
    if path not in index.whole:
        # A card left out as the duplicate of another file's comes back when that card goes.
        return False, "a card of it was left out as another file's, which may be gone"
    return True, "unchanged since the last build"


def take_reused(setup: Setup, reuse: Reuse) -> Reused | None:
    """Read the ledger, or the reused files' notes and the others' entries; None if one is gone."""
    options = setup.options
    if reuse.index is None or reuse.store is None:
        return Reused(load_ledger(options.notes_dir, options.ledger_name), {})
    index, store = reuse.index, reuse.store
    kept: dict[int, Settled] = {}
    for number in reuse.kept():
        found = store.get(setup.keys[number])
        if found is None or not found.whole:
            return None
        kept[number] = found
    # The notes the changed and removed files had: what edits are matched against.
    kept_paths = {setup.files[number].path for number in kept}
    before: dict[str, Entry] = {}
    for path in index.paths:
        if path in kept_paths:
            continue
        old = store.get(index.files[path]) if path in index.files else None
        if old is None:
            return None
        before.update(old.by_guid())
    return Reused(Ledger(before, index.notetypes, index.deck, index.retired), kept)
