"""Render a note's cards the way Anki does: its template syntax, cloze gaps and FrontSide."""

from __future__ import annotations

import re
from collections.abc import Mapping

from notes2anki.cards.notetypes import NOTETYPE_OF, card_ordinals
from notes2anki.cards.render import visible_text
from notes2anki.frozen import frozen
from notes2anki.records import Note

# {{#Field}}…{{/Field}} and {{^Field}}…{{/Field}}: shown when the field has (or lacks) content.
_SECTION = re.compile(r"\{\{([#^])([^}]+)\}\}(.*?)\{\{/\2\}\}", re.DOTALL)
_REPLACEMENT = re.compile(r"\{\{([^#^/}][^}]*)\}\}")
_GAP = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)


@frozen
class CardView:
    """One card as Anki shows it: question and answer HTML."""

    note: Note
    ordinal: int
    question: str
    answer: str


def card_views(note: Note, anki_files: Mapping[str, str]) -> tuple[CardView, ...]:
    """Render every card Anki makes from a note: one per template, or one per cloze number."""
    notetype = NOTETYPE_OF[note.kind]
    fields = dict(zip(notetype.field_names, note.fields, strict=True))
    template = notetype.templates[0]
    front, back = anki_files[template.front_file], anki_files[template.back_file]
    numbers = [ordinal + 1 for ordinal in card_ordinals(note)]
    views = []
    for number in numbers:
        question = _fill(front, fields, number, revealed=False, front_side="")
        answer = _fill(back, fields, number, revealed=True, front_side=question)
        views.append(CardView(note, number, question, answer))
    return tuple(views)


def _fill(
    template: str, fields: dict[str, str], number: int, revealed: bool, front_side: str
) -> str:
    def section(match: re.Match[str]) -> str:
        present = bool(visible_text(_value(match.group(2).strip())))
        shown = present if match.group(1) == "#" else not present
        return match.group(3) if shown else ""

    def _value(name: str) -> str:
        if name == "FrontSide":
            return front_side
        if name.startswith("cloze:"):
            return _cloze(fields.get(name.removeprefix("cloze:"), ""), number, revealed)
        return fields.get(name, "")

    previous = None
    while previous != template:  # sections may nest
        previous, template = template, _SECTION.sub(section, template)
    return _REPLACEMENT.sub(lambda match: _value(match.group(1).strip()), template)


def _cloze(text: str, number: int, revealed: bool) -> str:
    # The same markup Anki writes, so that its cloze styling applies to the preview too.
    def gap(match: re.Match[str]) -> str:
        ordinal = match.group(1)
        if int(ordinal) != number:
            return f'<span class="cloze-inactive" data-ordinal="{ordinal}">{match.group(2)}</span>'
        shown = match.group(2) if revealed else f"[{match.group(3) or '...'}]"
        return f'<span class="cloze" data-ordinal="{ordinal}">{shown}</span>'

    return _GAP.sub(gap, text)
