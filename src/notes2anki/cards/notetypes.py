"""The released notetypes: fixed ids, fields and card templates."""

# Anki matches notetypes by id and refuses to update notes whose notetype's fields or templates
# changed shape, so these lists are frozen once released. A new field means a new notetype id.

from __future__ import annotations

import re

from notes2anki.frozen import frozen
from notes2anki.model import Kind
from notes2anki.records import Note


@frozen
class CardTemplate:
    """One card template: a fixed id, a name, and the files holding its two sides."""

    id: int
    name: str
    front_file: str
    back_file: str


@frozen
class Notetype:
    """A notetype as released: its id, kind, fields (name, fixed id) and card templates."""

    id: int
    name: str
    kind: Kind
    fields: tuple[tuple[str, int], ...]
    templates: tuple[CardTemplate, ...]

    @property
    def field_names(self) -> tuple[str, ...]:
        """Return the field names in order."""
        return tuple(name for name, _ in self.fields)


BASIC = Notetype(
    id=1_846_203_771,
    name="notes2anki Basic",
    kind=Kind.BASIC,
    fields=(
        ("Front", 6_215_904_420_111),
        ("Back", 6_215_904_420_112),
        ("Extra", 6_215_904_420_113),
        ("Context", 6_215_904_420_114),
        ("Source", 6_215_904_420_115),
    ),
    templates=(
        CardTemplate(6_215_904_420_191, "Card 1", "anki/basic_front.html", "anki/basic_back.html"),
    ),
)

CLOZE = Notetype(
    id=1_846_203_772,
    name="notes2anki Cloze",
    kind=Kind.CLOZE,
    fields=(
        ("Text", 6_215_904_420_211),
        ("Extra", 6_215_904_420_212),
        ("Context", 6_215_904_420_213),
        ("Source", 6_215_904_420_214),
    ),
    templates=(
        CardTemplate(6_215_904_420_291, "Cloze", "anki/cloze_front.html", "anki/cloze_back.html"),
    ),
)

COMPARE = Notetype(
    id=1_846_203_773,
    name="notes2anki Compare",
    kind=Kind.COMPARE,
    fields=(
        ("Subjects", 6_215_904_420_311),
        ("Table", 6_215_904_420_312),
        ("Extra", 6_215_904_420_313),
        ("Context", 6_215_904_420_314),
        ("Source", 6_215_904_420_315),
    ),
    templates=(
        CardTemplate(
            6_215_904_420_391, "Differences", "anki/compare_front.html", "anki/compare_back.html"
        ),
    ),
)

NOTETYPES: tuple[Notetype, ...] = (BASIC, CLOZE, COMPARE)
# Which-one and quiz cards ask one thing and show one answer: they are Basic notes.
NOTETYPE_OF: dict[Kind, Notetype] = {
    Kind.BASIC: BASIC,
    Kind.CLOZE: CLOZE,
    Kind.COMPARE: COMPARE,
    Kind.WHICH: BASIC,
    Kind.QUIZ: BASIC,
}
STYLESHEET = "anki/style.css"
_CLOZE_NUMBER = re.compile(r"\{\{c(\d+)::")


def card_ordinals(note: Note) -> list[int]:
    """Return the cards Anki makes from a note, by number: one per cloze number, else card 0."""
    if note.kind is Kind.CLOZE:
        return sorted({int(number) - 1 for number in _CLOZE_NUMBER.findall(note.fields[0])} - {-1})
    return [0]
