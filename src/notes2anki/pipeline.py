"""The build, stage by stage: read and check everything, then write the deck and ledger."""

from __future__ import annotations

import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from html import escape
from pathlib import Path

from notes2anki import rules
from notes2anki.config import DeckConfig, load_config
from notes2anki.decks import deck_name, tag_for
from notes2anki.errors import NotesError, raise_all
from notes2anki.extract import read_facts, walk
from notes2anki.identity import (
    LEDGER_NAME,
    Entry,
    Ledger,
    content_hash,
    dump_ledger,
    guid_for,
    load_ledger,
    note_key,
    now,
    stamp,
)
from notes2anki.model import CardSpec, Document, Fact, Kind, Note, SectionFacts, Skipped, Summary
from notes2anki.notetypes import NOTETYPE_OF, NOTETYPES
from notes2anki.package import DeckInfo, notetype_json_source, package_bytes
from notes2anki.render import (
    DEFAULT_TEMPLATES,
    Templates,
    load_templates,
    render_fields,
    visible_text,
)
from notes2anki.sections import read_document
from notes2anki.sources import read_sources
from notes2anki.text import MIN_FACT_WORDS, words

_CLOZE_NUMBER = re.compile(r"\{\{c(\d+)::")


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """Where to read notes and templates, where to write, and how strict to be."""

    notes_dir: Path
    out_dir: Path
    templates_dir: Path | None = None
    strict: bool = False


@dataclass(frozen=True, slots=True)
class BuildResult:
    """The deck file written, the config it was built with, and what the build counted."""

    deck_path: Path
    config: DeckConfig
    summary: Summary
    notes: tuple[Note, ...]


def build(options: BuildOptions) -> BuildResult:
    """Compile a notes folder into a deck file and update its ledger."""
    sources = read_sources(options.notes_dir)
    documents = tuple(read_document(source) for source in sources)
    config = load_config(
        options.notes_dir, default_name(options.notes_dir, documents), rules.RULE_NAMES
    )
    templates = load_templates(options.templates_dir or DEFAULT_TEMPLATES)
    sections = tuple(
        s for document in documents for s in document.root.walk() if s.items or s.tables
    )
    facts = tuple(read_facts(section, config.compare_words) for section in sections)
    specs = make_cards(facts, rules.select(config.rules))
    ledger = load_ledger(options.notes_dir)
    clock = now()
    notes, warnings = make_notes(specs, config, templates, ledger, clock)
    if options.strict:
        raise_all(warnings)
    new_ledger = Ledger(
        {note.guid: entry for _, note, entry in notes},
        notetype_entries(templates, ledger, clock),
    )
    packaged = tuple(note for _, note, _ in notes)
    data = package_bytes(
        DeckInfo(
            config.name,
            describe(config),
            {name: entry.changed for name, entry in new_ledger.notetypes.items()},
        ),
        packaged,
        templates.anki,
    )
    deck_path = options.out_dir / f"{config.slug}-{config.version}.apkg"
    write_outputs(deck_path, data, options.notes_dir / LEDGER_NAME, dump_ledger(new_ledger))
    summary = summarize(
        len(sources), facts, tuple(spec for spec, _, _ in notes), packaged, warnings
    )
    return BuildResult(deck_path, config, summary, packaged)


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


def make_notes(
    specs: tuple[CardSpec, ...],
    config: DeckConfig,
    templates: Templates,
    ledger: Ledger,
    clock: int,
) -> tuple[list[tuple[CardSpec, Note, Entry]], list[NotesError]]:
    """Render each card, give it its GUID and mod time; drop and report duplicates and blanks."""
    notes: list[tuple[CardSpec, Note, Entry]] = []
    first_seen: dict[str, CardSpec] = {}
    warnings: list[NotesError] = []
    for spec in specs:
        key = note_key(config.name, spec)
        guid = guid_for(key)
        if guid in first_seen:
            warnings.append(
                NotesError(
                    spec.loc,
                    f"same {spec.kind.value} card as {first_seen[guid].loc}; kept that one",
                )
            )
            continue
        fields = render_fields(spec, templates, spec.loc.path)
        # Every side a card shows must show something: a cloze's second field is only extra.
        shown = fields[:1] if spec.kind is Kind.CLOZE else fields[:2]
        if not all(visible_text(field) for field in shown):
            warnings.append(NotesError(spec.loc, "card would have an empty side; left out"))
            continue
        first_seen[guid] = spec
        deck = deck_name(config.name, spec.section)
        tags = (tag_for(config.name, spec.section),)
        notetype = NOTETYPE_OF[spec.kind]
        entry = stamp(
            ledger.notes.get(guid),
            key,
            content_hash((notetype.name, deck, *fields, *tags)),
            str(spec.loc),
            clock,
        )
        notes.append(
            (spec, Note(guid, spec.kind, deck, fields, tags, entry.changed, spec.loc), entry)
        )
    return notes, warnings


def notetype_entries(templates: Templates, ledger: Ledger, clock: int) -> dict[str, Entry]:
    """Stamp each notetype; its mod moves only when its templates or stylesheet change."""
    return {
        notetype.name: stamp(
            ledger.notetypes.get(notetype.name),
            str(notetype.id),
            content_hash((notetype_json_source(notetype, templates.anki),)),
            "",
            clock,
        )
        for notetype in NOTETYPES
    }


def describe(config: DeckConfig) -> str:
    """Return the root deck's description, with the version a user can check after import."""
    version = f"<p>Version {escape(config.version)}</p>"
    return f"<p>{escape(config.description)}</p>{version}" if config.description else version


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
        cards=sum(card_count(note) for note in notes),
        skipped=skipped,
        warnings=tuple(str(warning) for warning in warnings),
    )


def card_count(note: Note) -> int:
    """Count the cards Anki makes from a note: one per cloze number, else one."""
    if note.kind is not Kind.CLOZE:
        return 1
    return len(set(_CLOZE_NUMBER.findall(note.fields[0])))


def why_no_card(fact: Fact) -> str:
    """Say why an item made no card."""
    if not fact.is_pair and words(fact.text) < MIN_FACT_WORDS:
        return f"a phrase of {words(fact.text)} words is read as context, not a fact"
    return "no term, figure or key word to ask about"


def write_outputs(deck_path: Path, deck: bytes, ledger_path: Path, ledger: str) -> None:
    """Write the deck, then the ledger, each by atomic rename: a failed build leaves both intact."""
    try:
        deck_path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(deck_path, deck)
        if not ledger_path.exists() or ledger_path.read_text(encoding="utf-8") != ledger:
            _write_atomic(ledger_path, ledger.encode())
    except OSError as exc:
        where = exc.filename or deck_path.parent
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
