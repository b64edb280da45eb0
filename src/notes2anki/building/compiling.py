"""Compile a notes folder into notes, on one road: reuse what is settled, compile the rest."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import closing
from dataclasses import field, replace
from operator import attrgetter
from pathlib import Path

from notes2anki.building.counting import FirstCards, by_path, media, summary, tally
from notes2anki.building.options import BuildOptions
from notes2anki.building.reuse import Decision, Reuse, Reused, plan_reuse, take_reused
from notes2anki.building.settled import Settled, SettledStore, Settling, Unit, settle
from notes2anki.building.setup import Setup, set_up
from notes2anki.building.units import FileCache, FileResult
from notes2anki.building.workers import Compiling
from notes2anki.cards.keys import Draft
from notes2anki.cards.templates import Templates
from notes2anki.errors import NotesError, raise_all
from notes2anki.frozen import frozen
from notes2anki.identity.entries import Entry, now, retire
from notes2anki.identity.identities import Identities
from notes2anki.identity.ledger import Ledger
from notes2anki.identity.ledger_lines import Unchanged
from notes2anki.model import Loc
from notes2anki.reading.config import DeckConfig
from notes2anki.records import Note, Summary, Tally
from notes2anki.targets.apkg import DeckRows


@frozen
class Compiled:
    """Everything a build knows before it writes: the notes, their ledger entries, and more."""

    config: DeckConfig
    templates: Templates
    ledger: Ledger
    clock: int
    notes: tuple[Note, ...]
    entries: dict[str, Entry]
    media: dict[str, bytes]
    summary: Summary
    # The entries the changelog compares with the ledger's, and whether this is the first build.
    compared: Mapping[str, Entry]
    first: bool
    cache: FileCache | None = None
    settling: Settling | None = None
    # Notes the ledger file already lists as they are now: their lines are copied from it.
    unchanged: Unchanged | None = None
    # The deck's collection with every note in, when asked for; its owner closes it.
    deck: DeckRows | None = None
    # The notes no longer in the deck that the ledger keeps, to be found again if they return.
    retired: Mapping[str, Entry] = field(default_factory=dict)
    # Each file's notes reused or compiled, and why.
    decisions: tuple[Decision, ...] = ()


def compile_notes(
    options: BuildOptions, cache_dir: Path | None = None, with_deck: bool = False
) -> Compiled:
    """Read and check a notes folder and make its notes, writing nothing but the file cache."""
    # With deck: the deck's collection is filled as well, a file's notes as soon as they and
    # all before them are made, while later files are still being compiled.
    setup = set_up(options, cache_dir)
    reuse = plan_reuse(setup)
    compiled = _compile(setup, reuse, with_deck)
    if isinstance(compiled, str):
        # What the last build left turned out unsound to reuse: nothing is, this time.
        compiled = _compile(setup, reuse.nothing(compiled), with_deck)
        assert not isinstance(compiled, str)  # nothing reused: nothing to find unsound
    return compiled


def _compile(setup: Setup, reuse: Reuse, with_deck: bool) -> Compiled | str:
    """Compile the files not reused and give every card its note; or say why reuse failed."""
    # The changed files compile on other processes while the ledger, or the reused files'
    # notes, are read.
    with closing(Compiling(setup, reuse.compiled(), alongside=bool(reuse.kept()))) as compiling:
        reused = take_reused(setup, reuse)
        if reused is None:
            return "the notes the last build settled are gone"
        deck = DeckRows(setup.config.name, setup.templates.anki) if with_deck else None
        try:
            return _assemble(setup, reuse, reused, compiling, deck)
        except BaseException:
            if deck is not None:
                deck.close()
            raise


_KEY = attrgetter("key")


class _Assembly:
    """Files' notes put together in file order: reused as they were, or made of fresh drafts."""

    def __init__(
        self, setup: Setup, reused: Reused, deck: DeckRows | None, cached: frozenset[int]
    ) -> None:
        self.setup = setup
        self.kept = reused.kept
        self.settled = reused.settled()
        self.clock = now()
        self.identities = Identities(reused.ledger, self.clock, self.settled)
        self.first_cards = FirstCards()
        self.deck = deck
        self.tallies: list[Tally] = []  # of the files whose notes are all made: in the deck too
        self.parts: list[FileResult | Settled] = []
        self.cards: list[int] = []  # how many cards each compiled file made
        self.cached = cached  # the compiled files whose cards the file cache held
        self.grouped: dict[str, list[Note]] = {}  # compiled files' notes by file, once all are made
        self.fresh: list[Note] = []  # the notes made of drafts, in file order, once all are made

    def take_settled(self, number: int) -> None:
        """Take a reused file's notes."""
        unit = self.kept[number]
        self.parts.append(unit)
        self._made(self.identities.keep(unit.notes, unit.entries), unit.tally)

    def take_compiled(self, number: int, result: FileResult) -> FileResult | str:
        """Take a compiled file's drafts; return what to keep of it, or why reuse is unsound."""
        claims = self._claims(result.drafts)
        for claim, _ in claims.values():
            if claim > number:
                path, later = self.setup.files[number].path, self.setup.files[claim].path
                return f"{path} now has a card first that {later} had"
        # A fresh copy of a reused file's card after it is a duplicate.
        kept = self.first_cards.keep(result.drafts, {key: loc for key, (_, loc) in claims.items()})
        made = self.identities.add(kept)
        self._made(made)
        self.cards.append(len(result.drafts))
        # A file whose every card becomes a note lives on in its notes: its drafts, which hold
        # a second copy of each note's key and hashes, need not be kept.
        if len(kept) == len(result.drafts):
            result = replace(result, drafts=())
        self.parts.append(result)
        return result

    def _made(self, notes: Sequence[Note] | None, counted: Tally | None = None) -> None:
        """Put a file's notes in the deck, when they and all before them are made; count them."""
        if notes is None:
            return
        cards = self.deck.add(notes) if self.deck is not None else None
        self.tallies.append(counted if counted is not None else tally(notes, cards))

    def finish(self) -> tuple[tuple[Note, ...], dict[str, Entry]]:
        """Make the notes that waited, and fill the deck with the files not in it yet."""
        notes, entries, self.fresh = self.identities.finish()
        # A reused file's notes are as it settled them: only the compiled files' are grouped.
        self.grouped = grouped = by_path(self.fresh)
        for number in range(len(self.tallies), len(self.setup.files)):
            part = self.kept.get(number)
            if part is not None:
                self._made(part.notes, part.tally)
            else:
                self._made(grouped.get(self.setup.files[number].path, []))
        return notes, entries

    def _claims(self, drafts: Sequence[Draft]) -> dict[str, tuple[int, Loc]]:
        """Return which reused file has a card of each draft's key, and where, if one has."""
        # Searched file by file, not kept as an index of every reused card: most rebuilds
        # compile a file or two, and such an index held 12 MB for a vault of 150,000 notes.
        if not self.kept:
            return {}
        wanted = {draft.digest for draft in drafts}
        claims: dict[str, tuple[int, Loc]] = {}
        for number, unit in self.kept.items():
            if wanted.isdisjoint(map(_KEY, unit.entries)):
                continue
            for note, entry in zip(unit.notes, unit.entries, strict=True):
                if entry.key in wanted:
                    claims[entry.key] = (number, note.loc)
        return claims


def _assemble(
    setup: Setup, reuse: Reuse, reused: Reused, compiling: Compiling, deck: DeckRows | None
) -> Compiled | str:
    """Take every file in order, reused or compiled, and make the deck's notes of them."""
    assembly = _Assembly(setup, reused, deck, compiling.cached)
    results = compiling.results()
    for number in range(len(setup.files)):
        if number in assembly.kept:
            assembly.take_settled(number)
            continue
        result, keep = next(results)
        taken = assembly.take_compiled(number, result)
        if isinstance(taken, str):
            keep(result)  # compiled all the same: the build that reuses nothing takes it
            return taken
        keep(taken)
    results.close()
    warnings = [
        *setup.sources.warnings,
        *(warning for part in assembly.parts for warning in part.warnings),
        *assembly.first_cards.warnings,
    ]
    if setup.options.strict:
        raise_all(warnings)
    notes, entries = assembly.finish()
    return _compiled(setup, reuse, reused, assembly, (notes, entries, warnings))


def _compiled(
    setup: Setup,
    reuse: Reuse,
    reused: Reused,
    assembly: _Assembly,
    made: tuple[tuple[Note, ...], dict[str, Entry], list[NotesError]],
) -> Compiled:
    """Gather what the build made into the record the writing stage takes."""
    notes, entries, warnings = made
    ledger, settled, cache = reused.ledger, assembly.settled, setup.cache
    if cache is not None:
        # The reused files' compilations stay for a build that needs them.
        cache.used.update(setup.keys[number] for number in assembly.kept)
    return Compiled(
        setup.config,
        setup.templates,
        ledger,
        assembly.clock,
        notes,
        entries,
        media(assembly.parts),
        summary(setup.files, assembly.parts, assembly.tallies, warnings),
        # Without reused notes, every entry is compared: no copy of them is made.
        compared=(
            {note.guid: entries[note.guid] for note in assembly.fresh} if settled else entries
        ),
        first=not (ledger.notes or settled),
        cache=cache,
        settling=_settling(setup, reuse, assembly, entries),
        unchanged=_unchanged(setup, reuse, ledger, settled),
        deck=assembly.deck,
        retired=retire(ledger.notes, ledger.retired, entries, assembly.clock),
        decisions=tuple(
            replace(one, reason=f"{one.reason}; its cards were in the file cache")
            if number in assembly.cached
            else one
            for number, one in enumerate(reuse.decisions)
        ),
    )


def _settling(
    setup: Setup,
    reuse: Reuse,
    assembly: _Assembly,
    entries: Mapping[str, Entry],
) -> Settling | None:
    """Return what the build leaves settled for the next: each compiled file's notes."""
    if setup.cache is None:
        return None
    compiled = reuse.compiled()
    results = [part for part in assembly.parts if isinstance(part, FileResult)]
    units = [
        Unit(setup.files[number], setup.keys[number], result, cards, assembly.tallies[number])
        for number, result, cards in zip(compiled, results, assembly.cards, strict=True)
    ]
    return Settling(
        reuse.store or _store(setup.cache),
        tuple(source.path for source in setup.files),
        settle(units, assembly.grouped, entries),
        {setup.files[number].path: setup.keys[number] for number in assembly.kept},
    )


def _unchanged(
    setup: Setup, reuse: Reuse, ledger: Ledger, settled: Mapping[str, Entry]
) -> Unchanged | None:
    """Return the notes whose ledger lines are copied as they are, when read from settled notes."""
    if reuse.index is None:
        return None
    # The retired notes' lines are the old file's too: those that stay retired are copied.
    return Unchanged(
        setup.options.ledger_path,
        reuse.index.ledger_sha256,
        settled,
        {**ledger.retired, **ledger.notes},
    )


def _store(cache: FileCache) -> SettledStore:
    """Return the store where a build leaves each file's notes settled for the next."""
    return SettledStore(cache.folder, cache.environment)
