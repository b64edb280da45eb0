"""Render each card into a draft note: fields, deck, tags, key, and what identity compares."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from notes2anki.cards.gate import refusal
from notes2anki.cards.keys import TEXT_CHARS, Draft, content_hash, ledger_key, note_key, section_key
from notes2anki.cards.media import bundle_images
from notes2anki.cards.notetypes import NOTETYPE_OF
from notes2anki.cards.render import render_fields, visible_text
from notes2anki.cards.templates import Templates
from notes2anki.errors import NotesError
from notes2anki.frozen import frozen
from notes2anki.model import Document, Kind, Loc
from notes2anki.reading.config import DeckConfig
from notes2anki.reading.decks import anki_tag, deck_name, file_decks, tag_for
from notes2anki.records import CardSpec, Skipped
from notes2anki.safety import obsidian_link, safe_field, text_field
from notes2anki.text import fold_name, is_field_label, normalize

_GAP = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}")


@frozen
class Drafted:
    """The drafts of a build, the media files their fields show, and the warnings on the way."""

    drafts: tuple[Draft, ...]
    media: dict[str, bytes]
    warnings: tuple[NotesError, ...]
    covered: frozenset[Loc]  # the items some card was made of
    left_out: tuple[Skipped, ...]  # the cards the gate refused, and why


def make_drafts(
    specs: tuple[CardSpec, ...],
    config: DeckConfig,
    templates: Templates,
    notes_dir: Path,
    document: Document | None = None,
) -> Drafted:
    """Render every card; leave out duplicates (with a warning) and what the gate refuses."""
    drafting = _Drafting(config, templates, notes_dir, document)
    for spec in _distinct_fronts(specs):
        drafting.take(spec)
    return Drafted(
        tuple(drafting.drafts),
        dict(sorted(drafting.media.items())),
        tuple(drafting.warnings),
        frozenset(drafting.covered),
        tuple(drafting.left_out),
    )


class _Drafting:
    """A file's cards drafted one by one, and what the file's drafts gathered on the way."""

    def __init__(
        self, config: DeckConfig, templates: Templates, notes_dir: Path, document: Document | None
    ) -> None:
        self.config, self.templates, self.notes_dir = config, templates, notes_dir
        self.folders = (
            file_decks(document, dict(config.folders.names)) if document is not None else ()
        )
        self.file_tags = (
            tuple(anki_tag(tag) for tag in document.tags) if document is not None else ()
        )
        self.line_tags = dict(document.line_tags) if document is not None else {}
        self.drafts: list[Draft] = []
        self.left_out: list[Skipped] = []
        self.media: dict[str, bytes] = {}
        self.first_seen: dict[str, CardSpec] = {}
        self.warnings: list[NotesError] = []
        self.covered: set[Loc] = set()
        self.told: set[str] = set()
        # What every note of a section shares is made once, and held once by all of them.
        self.placed: dict[int, tuple[str, tuple[str, ...], str]] = {}

    def take(self, spec: CardSpec) -> None:
        """Draft one card, unless an earlier one asks the same or the gate refuses it."""
        key = note_key(self.config.name, spec)
        if key in self.first_seen:
            earlier = self.first_seen[key].loc
            message = f"same {spec.kind.value} card as {earlier}; kept that one"
            self.warnings.append(NotesError(spec.loc, message))
            return
        fields = self._fields(spec)
        sides = fields[: 1 if spec.kind is Kind.CLOZE else 2]
        shown = tuple([visible_text(field) or _picture(field) for field in sides])
        # Every card passes the gate: what it refuses is listed, not written.
        refused = refusal(spec.kind, fields, shown)
        if refused is not None:
            self.left_out.append(Skipped(spec.loc, refused, spec.kind.value))
            return
        self.first_seen[key] = spec
        deck, tags, section = self._place(spec)
        notetype = NOTETYPE_OF[spec.kind].name
        self.drafts.append(
            Draft(
                kind=spec.kind,
                loc=spec.loc,
                section=section,
                key=key,
                digest=ledger_key(key),
                deck=deck,
                fields=fields,
                tags=tags,
                content=content_hash((notetype, deck, *fields, *tags)),
                # What the card says, wherever it stands: a moved or renamed section keeps it.
                text=readable(spec.kind, fields, shown),
            )
        )
        self.covered.update(spec.covers)

    def _fields(self, spec: CardSpec) -> tuple[str, ...]:
        """Render a card's fields, its pictures and sounds bundled, as Anki will store them."""
        fields = render_fields(spec, self.templates, self._source_field(spec.loc.path))
        if any("<img" in field or 'href="' in field for field in fields):
            bundled = [bundle_images(field, spec.loc, self.notes_dir) for field in fields]
            fields = tuple(one.html for one in bundled)
            for one in bundled:
                self.media.update(one.files)
                # A missing picture is named once, at its first place, however many cards,
                # fields or lines of the file show it.
                for warning in one.warnings:
                    if warning.message not in self.told:
                        self.told.add(warning.message)
                        self.warnings.append(warning)
        # The one place every field of every notetype passes, as Anki will store it.
        return tuple(map(safe_field, fields))

    def _source_field(self, path: str) -> str:
        """Return the Source field: the note's file, or inside a vault a link that opens it."""
        if self.config.vault is None:
            return text_field(path)
        name, inside = self.config.vault
        return obsidian_link(name, f"{inside}/{path}" if inside else path, path)

    def _place(self, spec: CardSpec) -> tuple[str, tuple[str, ...], str]:
        """Return a card's deck, tags and section key."""
        deck, tags, section = self.placed.get(id(spec.section)) or self.placed.setdefault(
            id(spec.section),
            (
                deck_name(self.config.name, spec.section, self.folders),
                (tag_for(self.config.name, spec.section), *self.file_tags),
                section_key(spec),
            ),
        )
        if spec.loc.line in self.line_tags:
            # "- Max object size - 5 TB #exam": the item's own tags, beside its file's.
            own = (anki_tag(tag) for tag in self.line_tags[spec.loc.line])
            tags = tuple(dict.fromkeys((*tags, *own)))
        return deck, tags, section


def _distinct_fronts(specs: tuple[CardSpec, ...]) -> tuple[CardSpec, ...]:
    """Name the section on fronts that read alike ("CNAME" twice): Anki flags them as duplicates."""
    # A note's first field is what Anki compares; a term asked in two sections asks two things.
    alike: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, spec in enumerate(specs):
        if spec.front and spec.kind is not Kind.CLOZE:
            alike[(NOTETYPE_OF[spec.kind].name, fold_name(spec.front))].append(index)
    named = list(specs)
    for indexes in alike.values():
        # A field's label ("Use cases", "Pricing") says nothing without its section, alone too.
        if len(indexes) < 2 and not is_field_label(specs[indexes[0]].front):
            continue  # one note
        # "Scalability" over its paragraph, and "Scalability" listed in the section above: the
        # nearest names that set them apart.
        for depth, own in ((1, False), (2, False), (1, True)):
            titles = [_place(specs[index], depth, own) for index in indexes]
            if len(set(titles)) == len(titles) and all(titles):
                break
        else:
            continue  # two in one place: their prompts differ by the answer asked
        for index, title in zip(indexes, titles, strict=True):
            named[index] = replace(specs[index], front=f"{specs[index].front} ({title})")
    return tuple(named)


def _place(spec: CardSpec, depth: int, own: bool) -> str:
    """Name where a card stands: its section's title (or more), and the items it stands under."""
    path = spec.section.path
    if not own and path and not spec.context and normalize(path[-1]) == normalize(spec.front):
        # A heading's own card ("HyperLogLog" over its paragraph) stands in the section above.
        path = path[:-1]
    return " > ".join((*path[-depth:], *spec.context))


def _picture(field: str) -> str:
    """Return how a field that shows only a picture reads as text, or "" without one."""
    return "[image]" if "<img" in field else ""


def readable(kind: Kind, fields: tuple[str, ...], shown: Sequence[str] = ()) -> str:
    """Return a card's question and answer as plain text, gaps filled in, cut to a few lines."""
    # Shown: the fields' visible text, when known already.
    if kind is Kind.CLOZE:
        text = visible_text(_GAP.sub(r"\1", fields[0]))
    else:
        question, answer = shown or (visible_text(fields[0]), visible_text(fields[1]))
        text = f"{question} → {answer}"
    return text[:TEXT_CHARS]
