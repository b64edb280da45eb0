"""Compile a notes folder into notes: every changed file read, matched with the ledger, counted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import field, replace
from pathlib import Path

from notes2anki.building.buildcache import tree_digest
from notes2anki.building.outputs import file_sha256
from notes2anki.building.settled import Settled, SettledIndex, SettledStore
from notes2anki.building.units import FileCache, FileResult
from notes2anki.building.workers import Job, compile_sources, worker_count
from notes2anki.cards import rules
from notes2anki.cards.keys import Draft
from notes2anki.cards.notetypes import card_ordinals
from notes2anki.cards.render import DEFAULT_TEMPLATES, Templates, load_templates
from notes2anki.errors import NotesError, raise_all
from notes2anki.frozen import frozen
from notes2anki.identity.entries import Entry, now, retire
from notes2anki.identity.ledger import LEDGER_NAME, Ledger, Unchanged, is_ledger, load_ledger
from notes2anki.identity.matching import Identities, identify
from notes2anki.model import Kind, Loc, Note, SourceFile, Summary, Tally
from notes2anki.reading.config import DeckConfig, folder_settings, load_config
from notes2anki.reading.decks import name_of_folder
from notes2anki.reading.obsidian import attachment_folder, vault_of
from notes2anki.reading.own_files import is_deck_file
from notes2anki.reading.sections import read_document
from notes2anki.reading.sources import SUFFIXES, Sources, read_sources
from notes2anki.reading.vault import block_ids
from notes2anki.targets.apkg import DeckRows


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


def compile_notes(
    options: BuildOptions, cache_dir: Path | None = None, with_deck: bool = False
) -> Compiled:
    """Read and check a notes folder and make its notes, writing nothing but the file cache."""
    # With deck: the deck's collection is filled as well, a file's notes as soon as they and
    # all before them are made, while later files are still being compiled.
    sources = read_sources(options.notes_dir, options.out_dir, options.only)
    config = load_config(
        options.notes_dir if options.only is None else None,
        lambda: default_name(options, sources.files),
        rules.RULE_NAMES,
    )
    if options.only is None:
        # A vault's subfolders are decks: a deck.toml of their own may name them.
        paths = tuple(source.path for source in sources.files)
        config = replace(
            config, folders=folder_settings(options.notes_dir, paths, rules.RULE_NAMES)
        )
    config = in_vault(config, options.notes_dir)
    blocks = {key: text for source in sources.files for key, text in block_ids(source.text).items()}
    if blocks:
        config = replace(config, blocks=tuple(sorted(blocks.items())))
    templates_dir = options.templates_dir or DEFAULT_TEMPLATES
    templates = load_templates(templates_dir)
    cache = (
        FileCache(cache_dir, environment(config, options, templates_dir))
        if cache_dir is not None
        else None
    )
    keys = [cache.key(source.path, source.text) if cache else "" for source in sources.files]
    job = Job(config, templates.directory, options.notes_dir)
    if cache is not None:
        quick = _compile_changed(options, sources, keys, job, templates, cache, with_deck)
        if quick is not None:
            return quick
    deck = DeckRows(config.name, templates.anki) if with_deck else None
    try:
        return _compile_all(options, sources, keys, job, templates, cache, deck)
    except BaseException:
        if deck is not None:
            deck.close()
        raise


def _compile_all(
    options: BuildOptions,
    sources: Sources,
    keys: list[str],
    job: Job,
    templates: Templates,
    cache: FileCache | None,
    deck: DeckRows | None,
) -> Compiled:
    """Compile every file and match all of their cards with the ledger."""
    # The worker processes start before the ledger is read: they do not need it, and it is
    # read while they compile.
    with closing(Compiling(sources.files, keys, job, templates, cache, options)) as compiling:
        ledger = load_ledger(options.notes_dir, options.ledger_name)
        clock = now()
        # Files' cards are given their identities as the files come in order, while later
        # files are still being compiled.
        identities = Identities(ledger, clock)
        first_cards = FirstCards()
        counted: list[Tally] = []  # of the files whose notes are all made: in the deck too
        cards: list[int] = []  # how many cards each file made

        def each(result: FileResult) -> FileResult:
            kept = first_cards.keep(result.drafts)
            made = identities.add(kept)
            if made is not None:
                if deck is not None:
                    deck.add(made)
                counted.append(tally(made))
            cards.append(len(result.drafts))
            # A file whose every card becomes a note lives on in its notes: its drafts, which
            # hold a second copy of each note's key and hashes, need not be kept.
            return replace(result, drafts=()) if len(kept) == len(result.drafts) else result

        results = compiling.results(each)
    warnings = [
        *sources.warnings,
        *(w for result in results for w in result.warnings),
        *first_cards.warnings,
    ]
    if options.strict:
        raise_all(warnings)
    notes, entries = identities.finish()
    by_path = _by_path(notes)
    # From the first file with a card that waited for all to be in, a file at a time.
    tallies = counted
    for source in sources.files[len(counted) :]:
        own = by_path.get(source.path, [])
        if deck is not None:
            deck.add(own)
        tallies.append(tally(own))
    settling = (
        Settling(
            SettledStore(cache.folder, cache.environment),
            tuple(source.path for source in sources.files),
            _settle(sources.files, keys, results, cards, by_path, entries, tallies),
            {},
        )
        if cache is not None
        else None
    )
    return Compiled(
        job.config,
        templates,
        ledger,
        clock,
        notes,
        entries,
        _media(results),
        _summary(sources.files, results, tallies, warnings),
        compared=entries,
        first=not ledger.notes,
        cache=cache,
        settling=settling,
        deck=deck,
        retired=retire(ledger.notes, ledger.retired, entries, clock),
    )


def _compile_changed(
    options: BuildOptions,
    sources: Sources,
    keys: list[str],
    job: Job,
    templates: Templates,
    cache: FileCache,
    with_deck: bool,
) -> Compiled | None:
    """Compile only the files changed since the last build; reuse the others' notes as they were."""
    # Sound only while the ledger is the one the last build wrote, and every file it read left
    # its notes settled: then the ledger is those notes' entries and nothing else, and a file
    # that did not change would get back the very notes it has. A file that lost a card to
    # another file's copy of it is read again, as the copy may be gone.
    store = SettledStore(cache.folder, cache.environment)
    index = store.index()
    if index is None or file_sha256(options.ledger_path) != index.ledger_sha256:
        return None
    changed = [
        number
        for number, (source, key) in enumerate(zip(sources.files, keys, strict=True))
        if index.files.get(source.path) != key or source.path not in index.whole
    ]
    # The changed files compile on another process while the others' notes are read.
    compiling = Compiling(
        tuple(sources.files[number] for number in changed),
        [keys[number] for number in changed],
        job,
        templates,
        cache,
        options,
        alongside=True,
    )
    with closing(compiling):
        kept = _reusable(store, sources.files, keys, set(changed))
        if kept is None:
            return None
        before = _left_behind(store, index, {sources.files[number].path for number in kept})
        if before is None:
            return None
        results = compiling.results()
    settled = {guid: entry for unit in kept.values() for guid, entry in unit.by_guid().items()}
    cache.used.update(keys)  # the unchanged files' compilations stay for a build that needs them
    claimed = _claimed(kept, {draft.digest for result in results for draft in result.drafts})
    if any(
        claimed.get(draft.digest, (-1,))[0] > number
        for number, result in zip(changed, results, strict=True)
        for draft in result.drafts
    ):
        return None  # a changed file now comes first with a card an unchanged file had
    drafts, duplicates = drop_duplicates(
        (draft for result in results for draft in result.drafts),
        {key: loc for key, (_, loc) in claimed.items()},
    )
    result_of = dict(zip(changed, results, strict=True))
    per_file = [kept.get(number) or result_of[number] for number in range(len(sources.files))]
    warnings = [*sources.warnings, *(w for part in per_file for w in part.warnings), *duplicates]
    if options.strict:
        raise_all(warnings)
    clock = now()
    ledger = Ledger(before, index.notetypes, index.deck, index.retired)
    fresh_notes, fresh_entries = identify(drafts, ledger, clock, settled)
    fresh_by_path = _by_path(fresh_notes)
    deck = DeckRows(job.config.name, templates.anki) if with_deck else None
    notes, entries = _in_file_order(sources.files, per_file, fresh_by_path, fresh_entries, deck)
    changed_files = tuple(sources.files[number] for number in changed)
    changed_keys = [keys[number] for number in changed]
    fresh_tallies = [tally(fresh_by_path.get(source.path, [])) for source in changed_files]
    tally_of = dict(zip(changed, fresh_tallies, strict=True))
    tallies = [
        kept[number].tally if number in kept else tally_of[number]
        for number in range(len(sources.files))
    ]
    settling = Settling(
        store,
        tuple(source.path for source in sources.files),
        _settle(
            changed_files,
            changed_keys,
            results,
            [len(result.drafts) for result in results],
            fresh_by_path,
            fresh_entries,
            fresh_tallies,
        ),
        {sources.files[number].path: keys[number] for number in kept},
    )
    return Compiled(
        job.config,
        templates,
        ledger,
        clock,
        notes,
        entries,
        _media(per_file),
        _summary(sources.files, per_file, tallies, warnings),
        compared=fresh_entries,
        first=not (before or settled),
        cache=cache,
        settling=settling,
        # The retired notes' lines are the old file's too: those that stay retired are copied.
        unchanged=Unchanged(
            options.ledger_path, index.ledger_sha256, settled, {**index.retired, **before}
        ),
        deck=deck,
        retired=retire(before, index.retired, entries, clock),
    )


def _reusable(
    store: SettledStore, files: tuple[SourceFile, ...], keys: list[str], changed: set[int]
) -> dict[int, Settled] | None:
    """Return, by file number, the settled notes of the unchanged files; None if one is gone."""
    kept: dict[int, Settled] = {}
    for number, key in enumerate(keys):
        if number in changed:
            continue
        found = store.get(key)
        if found is None or not found.whole:
            return None
        kept[number] = found
    return kept


def _left_behind(
    store: SettledStore, index: SettledIndex, kept_paths: set[str]
) -> dict[str, Entry] | None:
    """Return the ledger entries of the last build's other files, or None if one is missing."""
    # These are the notes that changed and removed files had: what edits are matched against.
    before: dict[str, Entry] = {}
    for path in index.paths:
        if path in kept_paths:
            continue
        old = store.get(index.files[path]) if path in index.files else None
        if old is None:
            return None
        before.update(old.by_guid())
    return before


def _claimed(kept: Mapping[int, Settled], wanted: set[str]) -> dict[str, tuple[int, Loc]]:
    """Find which reused file, and where in it, has each wanted card key."""
    return {
        entry.key: (number, note.loc)
        for number, unit in kept.items()
        for note, entry in zip(unit.notes, unit.entries, strict=True)
        if entry.key in wanted
    }


def _by_path(notes: Iterable[Note]) -> dict[str, list[Note]]:
    """Group notes by the file they come from, in their order."""
    grouped: dict[str, list[Note]] = {}
    for note in notes:
        grouped.setdefault(note.loc.path, []).append(note)
    return grouped


def _in_file_order(
    files: tuple[SourceFile, ...],
    parts: list[FileResult | Settled],
    fresh_by_path: Mapping[str, list[Note]],
    fresh_entries: Mapping[str, Entry],
    deck: DeckRows | None = None,
) -> tuple[tuple[Note, ...], dict[str, Entry]]:
    """Put reused and fresh notes, and their entries, in the order of their files (and deck)."""
    notes: list[Note] = []
    entries: dict[str, Entry] = {}
    for source, part in zip(files, parts, strict=True):
        if isinstance(part, Settled):
            own: Sequence[Note] = part.notes
            entries.update(part.by_guid())
        else:
            own = fresh_by_path.get(source.path, [])
            entries.update((note.guid, fresh_entries[note.guid]) for note in own)
        notes.extend(own)
        if deck is not None:
            deck.add(own)
    return tuple(notes), entries


class Compiling:
    """Files being compiled, but for those the cache holds; started at once, taken in order."""

    def __init__(
        self,
        sources: tuple[SourceFile, ...],
        keys: list[str],
        job: Job,
        templates: Templates,
        cache: FileCache | None,
        options: BuildOptions,
        alongside: bool = False,
    ) -> None:
        # Alongside: on another process, even for one small file, while this one reads.
        self.keys = keys
        self.cache = cache
        self.report = options.progress or _silent
        self.found = [_cached(cache, key) if cache else None for key in keys]
        missing = [
            source for source, result in zip(sources, self.found, strict=True) if result is None
        ]
        workers = worker_count(missing, options.jobs)
        self.compilation = compile_sources(
            missing, job, templates, workers, alongside=alongside and options.jobs != 1
        )
        self.report("making cards", len(sources) - len(missing), len(sources))

    def results(self, each: Callable[[FileResult], FileResult] | None = None) -> list[FileResult]:
        """Return every file's result, telling each one, in file order, as soon as it is in."""
        # Each: returns the result to keep (and cache), which may leave out what it has used.
        done = sum(1 for result in self.found if result is not None)
        results: list[FileResult] = []
        with closing(self.compilation) as compiled:
            for key, found in zip(self.keys, self.found, strict=True):
                result = found if found is not None else next(compiled)
                if each is not None:
                    result = each(result)
                if found is None:
                    if self.cache:
                        self.cache.put(key, result)
                    done += 1
                    self.report("making cards", done, len(self.keys))
                results.append(result)
        return results

    def close(self) -> None:
        """Stop compiling, when the results are not wanted after all."""
        self.compilation.close()


def _cached(cache: FileCache, key: str) -> FileResult | None:
    """Return a file's cached compilation, kept as such or as the notes it settled into."""
    found = cache.get(key)
    if found is None:
        settled = SettledStore(cache.folder, cache.environment).get(key)
        found = settled.compiled() if settled is not None else None
    return found


def _settle(
    files: tuple[SourceFile, ...],
    keys: list[str],
    results: list[FileResult],
    cards: Sequence[int],
    by_path: Mapping[str, list[Note]],
    entries: Mapping[str, Entry],
    tallies: list[Tally],
) -> dict[str, tuple[str, Settled]]:
    """Settle the notes each file made, and whether they are all of its cards."""
    # Cards: how many cards each file made (its result may no longer hold them).
    settled: dict[str, tuple[str, Settled]] = {}
    for source, key, result, made, counted in zip(
        files, keys, results, cards, tallies, strict=True
    ):
        own = by_path.get(source.path, [])
        settled[source.path] = (
            key,
            Settled(
                tuple(own),
                tuple(entries[note.guid] for note in own),
                result.media,
                result.warnings,
                result.sections,
                result.facts,
                result.skipped,
                counted,
                whole=len(own) == made,
            ),
        )
    return settled


def _media(parts: Iterable[FileResult | Settled]) -> dict[str, bytes]:
    """Gather the media files every file's notes show, by name."""
    return dict(sorted(item for part in parts for item in part.media))


def _summary(
    files: tuple[SourceFile, ...],
    parts: Sequence[FileResult | Settled],
    tallies: Sequence[Tally],
    warnings: list[NotesError],
) -> Summary:
    """Count what the build read and made."""
    per_kind: Counter[str] = Counter()
    for counted in tallies:
        per_kind.update(dict(counted.notes_per_kind))
    return Summary(
        files=len(files),
        sections=sum(part.sections for part in parts),
        facts=sum(part.facts for part in parts),
        notes_per_kind=tuple((kind.value, per_kind[kind.value]) for kind in Kind),
        cards=sum(counted.cards for counted in tallies),
        skipped=tuple(skipped for part in parts for skipped in part.skipped),
        warnings=tuple(str(warning) for warning in warnings),
    )


def tally(notes: Sequence[Note]) -> Tally:
    """Count notes by kind, and the cards they make."""
    per_kind = Counter(note.kind for note in notes)
    return Tally(
        tuple(sorted((kind.value, count) for kind, count in per_kind.items())),
        sum(len(card_ordinals(note)) for note in notes),
    )


def drop_duplicates(
    drafts: Iterable[Draft], earlier: Mapping[str, Loc] | None = None
) -> tuple[tuple[Draft, ...], list[NotesError]]:
    """Keep the first card of each key across files; warn about the others."""
    first_cards = FirstCards(earlier)
    kept = first_cards.keep(drafts)
    return tuple(kept), first_cards.warnings


class FirstCards:
    """The first card of each key across files, kept as files come; the others warned about."""

    def __init__(self, earlier: Mapping[str, Loc] | None = None) -> None:
        # Earlier: the keys of cards kept before these drafts, and where those cards stand.
        self.earlier = earlier or {}
        self.seen: dict[str, Loc] = {}
        self.warnings: list[NotesError] = []

    def keep(self, drafts: Iterable[Draft]) -> list[Draft]:
        """Return the drafts whose keys no card before them had; warn about the rest."""
        kept: list[Draft] = []
        for draft in drafts:
            first = self.earlier.get(draft.digest) or self.seen.get(draft.digest)
            if first is None:
                self.seen[draft.digest] = draft.loc
                kept.append(draft)
                continue
            message = f"same {draft.kind.value} card as {first}; kept that one"
            self.warnings.append(NotesError(draft.loc, message))
        return kept


def in_vault(config: DeckConfig, notes_dir: Path) -> DeckConfig:
    """Say in the config whether the notes are in an Obsidian vault, and how cards link back."""
    vault = vault_of(notes_dir)
    if vault is None:
        return config
    if config.source == "path":
        return replace(config, obsidian=True)
    inside = notes_dir.resolve().relative_to(vault).as_posix()
    return replace(config, obsidian=True, vault=(vault.name, "" if inside == "." else inside))


def environment(config: DeckConfig, options: BuildOptions, templates_dir: Path) -> str:
    """Hash what every file's cards depend on besides the file: config, assets, templates, code."""
    return tree_digest(
        (options.notes_dir, templates_dir, Path(__file__).resolve().parents[1]),
        lambda path: (
            path.suffix.lower() not in SUFFIXES and not is_ledger(path) and not is_deck_file(path)
        ),
        # A vault's settings change as its app is used: only where attachments go counts.
        f"{config!r} {attachment_folder(options.notes_dir)!r}",
        options.out_dir,
    )


def _silent(stage: str, done: int, total: int) -> None:
    """Report nothing."""


def default_name(options: BuildOptions, sources: tuple[SourceFile, ...]) -> str:
    """Name a deck without deck.toml: a lone file's first heading, else the file or folder's."""
    heading = read_document(sources[0]).first_heading if len(sources) == 1 else None
    if heading:
        return heading
    named = Path(options.only).stem if options.only else options.notes_dir.resolve().name
    return name_of_folder(named)
