"""The build, stage by stage: read and check everything, then write the deck and ledger."""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from notes2anki import rules
from notes2anki.buildcache import (
    RECORD_NAME,
    BuildRecord,
    dump_record,
    file_sha256,
    fingerprint,
    load_record,
    sha256,
    tree_digest,
)
from notes2anki.changelog import CHANGELOG_NAME, Changes, changelog_entry, changes_between, prepend
from notes2anki.config import DeckConfig, load_config
from notes2anki.errors import NotesError, raise_all
from notes2anki.identity import (
    LEDGER_NAME,
    Draft,
    Entry,
    Ledger,
    content_hash,
    dump_ledger,
    load_ledger,
    now,
    stamp,
)
from notes2anki.matching import identify
from notes2anki.model import Kind, Note, SourceFile, Summary
from notes2anki.notetypes import NOTETYPES, card_ordinals
from notes2anki.package import DeckInfo, notetype_look, package_bytes
from notes2anki.render import DEFAULT_TEMPLATES, Templates, load_templates
from notes2anki.sections import read_document
from notes2anki.sources import SUFFIXES, read_sources
from notes2anki.units import CACHE_NAME, FileCache, FileResult, compile_file
from notes2anki.versions import next_version


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """Where to read notes and templates, where to write, and how strict to be."""

    notes_dir: Path
    out_dir: Path
    templates_dir: Path | None = None
    strict: bool = False
    # Told (stage, done, total) as the build goes; the CLI draws a progress bar with it.
    progress: Callable[[str, int, int], None] | None = None


@dataclass(frozen=True, slots=True)
class BuildResult:
    """The deck file written, its version, what changed, and what the build counted."""

    deck_path: Path
    config: DeckConfig
    version: str
    changes: Changes
    summary: Summary
    notes: tuple[Note, ...]


@dataclass(frozen=True, slots=True)
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
    cache: FileCache | None = None


def build(options: BuildOptions) -> BuildResult:
    """Compile a notes folder into a deck file, and update its ledger and changelog."""
    inputs = (
        fingerprint(options.notes_dir, options.templates_dir or DEFAULT_TEMPLATES)
        if options.notes_dir.is_dir()
        else ""
    )
    reused = reuse_last_build(options, inputs)
    if reused is not None:
        return reused
    compiled = compile_notes(options, options.out_dir / CACHE_NAME)
    config, ledger = compiled.config, compiled.ledger
    notetypes = notetype_entries(compiled.templates, ledger, compiled.clock)
    content = deck_content(config, compiled.entries, notetypes)
    record = next_version(config.version, ledger.deck, content)
    changes = (
        changes_between(ledger, compiled.entries, notetypes) if record != ledger.deck else Changes()
    )
    data = package_bytes(
        DeckInfo(
            config.name,
            describe(config, record.version),
            {name: entry.changed for name, entry in notetypes.items()},
        ),
        compiled.notes,
        compiled.templates.anki,
        compiled.media,
    )
    # Then write: the deck, the changelog, the ledger that records them, and last the record
    # that says the build finished.
    deck_path = options.out_dir / f"{config.slug}-{record.version}.apkg"
    ledger_text = dump_ledger(Ledger(compiled.entries, notetypes, record)).encode()
    outputs = [(deck_path, data)]
    if changes:
        changelog = options.out_dir / CHANGELOG_NAME
        entry = updated_changelog(changelog, config, record.version, compiled.clock, changes)
        outputs.append((changelog, entry))
    finished = BuildRecord(
        inputs,
        sha256(ledger_text),
        config.name,
        deck_path.name,
        sha256(data),
        record.version,
        compiled.summary,
    )
    outputs += [
        (options.notes_dir / LEDGER_NAME, ledger_text),
        (options.out_dir / RECORD_NAME, dump_record(finished)),
    ]
    write_outputs(tuple(outputs))
    if compiled.cache is not None:
        compiled.cache.save()
    return BuildResult(deck_path, config, record.version, changes, compiled.summary, compiled.notes)


def reuse_last_build(options: BuildOptions, inputs: str) -> BuildResult | None:
    """Return the last build's result when nothing it read has changed and its deck is intact."""
    last = load_record(options.out_dir)
    if last is None or not inputs or last.fingerprint != inputs:
        return None
    deck_path = options.out_dir / last.deck
    if (
        file_sha256(options.notes_dir / LEDGER_NAME) != last.ledger_sha256
        or file_sha256(deck_path) != last.deck_sha256
        or (options.strict and last.summary.warnings)
    ):
        return None
    base = last.version.rpartition(".")[0]
    return BuildResult(
        deck_path, DeckConfig(last.name, base), last.version, Changes(), last.summary, ()
    )


def compile_notes(options: BuildOptions, cache_dir: Path | None = None) -> Compiled:
    """Read and check a notes folder and make its notes, writing nothing but the file cache."""
    sources = read_sources(options.notes_dir)
    config = load_config(
        options.notes_dir,
        lambda: default_name(options.notes_dir, sources.files),
        rules.RULE_NAMES,
    )
    templates_dir = options.templates_dir or DEFAULT_TEMPLATES
    templates = load_templates(templates_dir)
    ledger = load_ledger(options.notes_dir)
    cache = (
        FileCache(cache_dir, environment(config, options.notes_dir, templates_dir))
        if cache_dir is not None
        else None
    )
    report = options.progress or _silent
    results: list[FileResult] = []
    for done, source in enumerate(sources.files, start=1):
        key = cache.key(source.path, source.text) if cache else ""
        result = cache.get(key) if cache else None
        if result is None:
            result = compile_file(read_document(source), config, templates, options.notes_dir)
            if cache:
                cache.put(key, result)
        results.append(result)
        report("making cards", done, len(sources.files))
    drafts, duplicates = drop_duplicates(draft for result in results for draft in result.drafts)
    warnings = [*sources.warnings, *(w for result in results for w in result.warnings), *duplicates]
    if options.strict:
        raise_all(warnings)
    clock = now()
    notes, entries = identify(drafts, ledger, clock)
    media = dict(sorted(item for result in results for item in result.media))
    per_kind = Counter(note.kind.value for note in notes)
    summary = Summary(
        files=len(sources.files),
        sections=sum(result.sections for result in results),
        facts=sum(result.facts for result in results),
        notes_per_kind=tuple((kind.value, per_kind[kind.value]) for kind in Kind),
        cards=sum(len(card_ordinals(note)) for note in notes),
        skipped=tuple(skipped for result in results for skipped in result.skipped),
        warnings=tuple(str(warning) for warning in warnings),
    )
    return Compiled(config, templates, ledger, clock, notes, entries, media, summary, cache)


def drop_duplicates(drafts: Iterable[Draft]) -> tuple[tuple[Draft, ...], list[NotesError]]:
    """Keep the first card of each key across files; warn about the others."""
    kept: dict[str, Draft] = {}
    warnings: list[NotesError] = []
    for draft in drafts:
        first = kept.setdefault(draft.key, draft)
        if first is not draft:
            message = f"same {draft.kind.value} card as {first.loc}; kept that one"
            warnings.append(NotesError(draft.loc, message))
    return tuple(kept.values()), warnings


def environment(config: DeckConfig, notes_dir: Path, templates_dir: Path) -> str:
    """Hash what every file's cards depend on besides the file: config, assets, templates, code."""
    return tree_digest(
        (notes_dir, templates_dir, Path(__file__).resolve().parent),
        lambda path: path.suffix.lower() not in SUFFIXES and path.name != LEDGER_NAME,
        repr(config),
    )


def _silent(stage: str, done: int, total: int) -> None:
    """Report nothing."""


def default_name(notes_dir: Path, sources: tuple[SourceFile, ...]) -> str:
    """Name a deck without deck.toml: a lone file's first heading, else the folder's name."""
    heading = read_document(sources[0]).first_heading if len(sources) == 1 else None
    if heading:
        return heading
    return notes_dir.resolve().name.replace("-", " ").replace("_", " ").strip() or "Notes"


def notetype_entries(templates: Templates, ledger: Ledger, clock: int) -> dict[str, Entry]:
    """Stamp each notetype; its mod moves only when its templates or stylesheet change."""
    return {
        notetype.name: stamp(
            ledger.notetypes.get(notetype.name),
            Entry(
                key=str(notetype.id),
                hash=content_hash((notetype_look(notetype, templates.anki),)),
                changed=0,
                source="",
            ),
            clock,
        )
        for notetype in NOTETYPES
    }


def deck_content(config: DeckConfig, notes: dict[str, Entry], notetypes: dict[str, Entry]) -> str:
    """Hash everything a deck file carries except its version: the notes, notetypes and deck."""
    return content_hash(
        (
            config.name,
            config.description,
            *(f"{guid}:{entry.hash}" for guid, entry in sorted(notes.items())),
            *(f"{name}:{entry.hash}" for name, entry in sorted(notetypes.items())),
        )
    )


def describe(config: DeckConfig, version: str) -> str:
    """Return the root deck's description, with the version a user can check after import."""
    shown = f"<p>Version {escape(version)}</p>"
    return f"<p>{escape(config.description)}</p>{shown}" if config.description else shown


def updated_changelog(
    path: Path, config: DeckConfig, version: str, clock: int, changes: Changes
) -> bytes:
    """Return the changelog with this version's entry on top."""
    existing = path.read_text(encoding="utf-8") if path.is_file() else ""
    return prepend(existing, config.name, changelog_entry(version, clock, changes)).encode()


def write_outputs(outputs: tuple[tuple[Path, bytes], ...]) -> None:
    """Write each file by atomic rename, in order, skipping files whose bytes are unchanged."""
    try:
        for path, data in outputs:
            path.parent.mkdir(parents=True, exist_ok=True)
            # A build killed while writing can leave its temporary file; it is never a result.
            for stale in path.parent.glob(f".{path.name}.*.tmp"):
                stale.unlink(missing_ok=True)
            if not path.is_file() or path.read_bytes() != data:
                _write_atomic(path, data)
    except OSError as exc:
        where = exc.filename or outputs[0][0].parent
        raise NotesError(str(where), f"cannot write: {exc.strerror or exc}") from None


def _write_atomic(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
