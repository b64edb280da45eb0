"""Compile one notes file into draft notes, and cache the result by everything it depends on."""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from pathlib import Path

from notes2anki.cards import rules
from notes2anki.cards.drafts import make_drafts
from notes2anki.cards.keys import Draft
from notes2anki.cards.templates import Templates
from notes2anki.errors import NotesError
from notes2anki.frozen import frozen
from notes2anki.model import Document, Fact, Loc, Section, SectionFacts
from notes2anki.reading.config import DeckConfig
from notes2anki.reading.extract import read_facts, walk
from notes2anki.reading.pointers import (
    heads_reading_list,
    illustrates,
    is_reference,
    points_at_page,
    unwritten,
)
from notes2anki.reading.questions import asks
from notes2anki.reading.subjects import CompareWords
from notes2anki.records import NOTICE, CardSpec, Skipped
from notes2anki.text import MIN_FACT_WORDS, words

CACHE_NAME = ".notes2anki-cache"


@frozen
class FileResult:
    """What one notes file yields: its drafts and media, and what the summary counts of it."""

    drafts: tuple[Draft, ...]
    media: tuple[tuple[str, bytes], ...]
    warnings: tuple[NotesError, ...]
    sections: int
    facts: int
    skipped: tuple[Skipped, ...]


def compile_file(
    document: Document, config: DeckConfig, templates: Templates, notes_dir: Path
) -> FileResult:
    """Turn one parsed notes file into drafts; the file's own words decide its cloze gaps."""
    facts = read_sections(document.root, config.compare_words)
    # A subfolder's deck.toml may choose its notes' card kinds.
    specs = make_cards(
        facts, rules.select(config.folders.rules_for(document.source.path, config.rules))
    )
    drafted = make_drafts(specs, config, templates, notes_dir, document)
    every_fact = [fact for found in facts for fact in walk(found.facts)]
    # A table's rows are facts too, counted and listed like items.
    rows = [loc for found in facts for table in found.section.tables for loc in table.row_locs]
    covered = drafted.covered
    # An item whose only card the gate refused made no card for the gate's reason.
    refused = {one.loc: one.reason for one in drafted.left_out}
    uncarded = [
        *(
            Skipped(f.loc, refused.get(f.loc) or why_no_card(f))
            for f in every_fact
            if f.loc not in covered
        ),
        *(Skipped(loc, "a table row, in no comparison") for loc in rows if loc not in covered),
    ]
    listed = {one.loc for one in uncarded}
    # Obsidian shows an embedded note's text where it is embedded; the card shows its name.
    embedded = [
        Skipped(
            Loc(document.source.path, line),
            f"embeds the note {note!r}: its card shows the note's name, not its text",
            NOTICE,
        )
        for line, note in document.embeds
    ]
    return FileResult(
        drafts=drafted.drafts,
        media=tuple(drafted.media.items()),
        warnings=drafted.warnings,
        sections=len(facts),
        facts=len(every_fact) + len(rows),
        skipped=tuple(
            sorted(
                [
                    *uncarded,
                    *(one for one in drafted.left_out if one.loc not in listed),
                    *embedded,
                ],
                key=lambda skipped: (skipped.loc, skipped.card),
            )
        ),
    )


def read_sections(root: Section, compare_words: CompareWords) -> tuple[SectionFacts, ...]:
    """Read the facts of every section that holds some, or compares its subsections."""
    read = (
        read_facts(section, compare_words)
        for section in root.walk()
        if section.items or section.tables or len(section.children) > 1
    )
    # A section with no items of its own is kept when it compares its rival subsections.
    return tuple(
        found for found in read if found.facts or found.section.tables or found.comparisons
    )


def make_cards(
    facts: tuple[SectionFacts, ...], enabled: tuple[tuple[str, rules.Rule], ...]
) -> tuple[CardSpec, ...]:
    """Run the enabled rules over every section."""
    every = [fact for found in facts for fact in found.facts]
    context = rules.RuleContext(
        rules.vocabulary(every), frozenset(name for name, _ in enabled), rules.language(every)
    )
    return tuple(spec for found in facts for _, rule in enabled for spec in rule(found, context))


def why_no_card(fact: Fact) -> str:
    """Say why an item made no card."""
    if fact.reference:
        if is_reference(fact.text):
            return "a link, not a fact"
        if heads_reading_list(fact.text):
            return "names a list of links to read, not a fact"
        if points_at_page(fact.text):
            return "points at a picture or table"
        if unwritten(fact.text):
            return "a placeholder the notes have yet to fill"
        if illustrates(fact.text):
            return "an example of what the line before it says"
        return "goes on from the item before it, which its card would not show"
    if fact.is_lead and fact.children and not rules.asks_for_list(fact):
        return "leads sentences too long to recall as one list: each is asked on its own"
    if fact.is_caption:
        return "a caption: the picture under it is not an answer to recall"
    if (fact.question and not fact.definition) or asks(fact.text):
        return "a question whose answer the notes do not give"
    if not fact.is_pair and words(fact.text) < MIN_FACT_WORDS:
        return f"a phrase of {words(fact.text)} words is read as context, not a fact"
    if not rules.is_terse(fact):
        return "no phrase stands out as the key of its sentences: a gap would be a guess"
    return "no term, figure or key word to ask about"


class FileCache:
    """Compiled files kept between builds, each under a key naming everything it came from."""

    def __init__(self, folder: Path, environment: str) -> None:
        self.folder = folder
        self.environment = environment
        self.used: set[str] = set()
        self.pending: dict[str, FileResult] = {}

    def key(self, path: str, text: str) -> str:
        """Name a file's compilation: its path and text, and the build's environment."""
        digest = hashlib.sha256(self.environment.encode())
        digest.update(path.encode() + b"\0" + text.encode())
        return digest.hexdigest()

    def get(self, key: str) -> FileResult | None:
        """Return the cached result for a key, if a whole one is there."""
        self.used.add(key)
        if key in self.pending:
            return self.pending[key]  # compiled earlier in this build, not yet stored
        try:
            with (self.folder / key).open("rb") as stream:
                found = pickle.load(stream)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        return found if isinstance(found, FileResult) else None

    def put(self, key: str, result: FileResult) -> None:
        """Keep a result, to be stored once the build has succeeded."""
        self.pending[key] = result

    def save(self) -> None:
        """Store the new results and forget those no file of this build asked for."""
        # A cache that cannot be written only costs time on the next build.
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            for key, result in self.pending.items():
                temporary = self.folder / f".{key}.tmp"
                temporary.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
                temporary.replace(self.folder / key)
            for entry in self.folder.iterdir():
                if entry.name not in self.used:
                    entry.unlink(missing_ok=True)
