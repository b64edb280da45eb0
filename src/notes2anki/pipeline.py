"""The build, stage by stage: read and check everything, then write the deck and ledger."""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Callable
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
)
from notes2anki.changelog import CHANGELOG_NAME, Changes, changelog_entry, changes_between, prepend
from notes2anki.config import DeckConfig, load_config
from notes2anki.drafts import make_drafts
from notes2anki.errors import NotesError, raise_all
from notes2anki.extract import read_facts, walk
from notes2anki.identity import (
    LEDGER_NAME,
    Entry,
    Ledger,
    content_hash,
    dump_ledger,
    load_ledger,
    now,
    stamp,
)
from notes2anki.matching import identify
from notes2anki.model import CardSpec, Document, Fact, Kind, Note, SectionFacts, Skipped, Summary
from notes2anki.notetypes import NOTETYPES, card_ordinals
from notes2anki.package import DeckInfo, notetype_json_source, package_bytes
from notes2anki.render import DEFAULT_TEMPLATES, Templates, load_templates
from notes2anki.sections import read_document
from notes2anki.sources import read_sources
from notes2anki.text import MIN_FACT_WORDS, words
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
    compiled = compile_notes(options)
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


def compile_notes(options: BuildOptions) -> Compiled:
    """Read and check a notes folder and make its notes, writing nothing."""
    sources = read_sources(options.notes_dir)
    report = options.progress or _silent
    documents = []
    for done, source in enumerate(sources.files, start=1):
        documents.append(read_document(source))
        report("reading notes", done, len(sources.files))
    config = load_config(
        options.notes_dir, default_name(options.notes_dir, tuple(documents)), rules.RULE_NAMES
    )
    templates = load_templates(options.templates_dir or DEFAULT_TEMPLATES)
    ledger = load_ledger(options.notes_dir)
    sections = tuple(
        s for document in documents for s in document.root.walk() if s.items or s.tables
    )
    facts = tuple(read_facts(section, config.compare_words) for section in sections)
    specs = make_cards(facts, rules.select(config.rules))
    drafted = make_drafts(specs, config, templates, options.notes_dir, report)
    drafts, warnings = drafted.drafts, [*sources.warnings, *drafted.warnings]
    if options.strict:
        raise_all(warnings)
    clock = now()
    notes, entries = identify(drafts, ledger, clock)
    summary = summarize(len(sources.files), facts, tuple(d.spec for d in drafts), notes, warnings)
    return Compiled(config, templates, ledger, clock, notes, entries, drafted.media, summary)


def _silent(stage: str, done: int, total: int) -> None:
    """Report nothing."""


def default_name(notes_dir: Path, documents: tuple[Document, ...]) -> str:
    """Name a deck without deck.toml: a lone file's first heading, else the folder's name."""
    if len(documents) == 1 and documents[0].first_heading:
        return documents[0].first_heading
    return notes_dir.resolve().name.replace("-", " ").replace("_", " ").strip() or "Notes"


def make_cards(
    facts: tuple[SectionFacts, ...], enabled: tuple[tuple[str, rules.Rule], ...]
) -> tuple[CardSpec, ...]:
    """Run the enabled rules over every section."""
    context = rules.RuleContext(
        rules.vocabulary(fact for found in facts for fact in found.facts),
        frozenset(name for name, _ in enabled),
    )
    return tuple(spec for found in facts for _, rule in enabled for spec in rule(found, context))


def notetype_entries(templates: Templates, ledger: Ledger, clock: int) -> dict[str, Entry]:
    """Stamp each notetype; its mod moves only when its templates or stylesheet change."""
    return {
        notetype.name: stamp(
            ledger.notetypes.get(notetype.name),
            Entry(
                key=str(notetype.id),
                hash=content_hash((notetype_json_source(notetype, templates.anki),)),
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


def summarize(
    files: int,
    facts: tuple[SectionFacts, ...],
    specs: tuple[CardSpec, ...],
    notes: tuple[Note, ...],
    warnings: list[NotesError],
) -> Summary:
    """Count what the build read and made, and list the items that made no card."""
    every_fact = [fact for found in facts for fact in walk(found.facts)]
    covered = {loc for spec in specs for loc in spec.covers}
    skipped = tuple(
        Skipped(fact.loc, why_no_card(fact)) for fact in every_fact if fact.loc not in covered
    )
    per_kind = Counter(note.kind.value for note in notes)
    return Summary(
        files=files,
        sections=len(facts),
        facts=len(every_fact),
        notes_per_kind=tuple((kind.value, per_kind[kind.value]) for kind in Kind),
        cards=sum(len(card_ordinals(note)) for note in notes),
        skipped=skipped,
        warnings=tuple(str(warning) for warning in warnings),
    )


def why_no_card(fact: Fact) -> str:
    """Say why an item made no card."""
    if not fact.is_pair and words(fact.text) < MIN_FACT_WORDS:
        return f"a phrase of {words(fact.text)} words is read as context, not a fact"
    return "no term, figure or key word to ask about"


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
