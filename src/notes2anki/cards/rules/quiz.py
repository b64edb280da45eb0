"""Quiz cards: a question written in the notes asks for its answer."""

from __future__ import annotations

from collections.abc import Iterator

from notes2anki.cards.rules.base import RuleContext
from notes2anki.model import Kind, SectionFacts
from notes2anki.reading.extract import walk
from notes2anki.records import CardSpec
from notes2anki.text import normalize

# Where this rule runs among the others, lowest first (basic, cloze, compare, quiz).
ORDER = 40


def cards(found: SectionFacts, context: RuleContext) -> Iterator[CardSpec]:
    """Make a question → answer card for each fact written as a question."""
    for fact in walk(found.facts):
        if not fact.question or fact.term is None or not fact.definition:
            continue
        yield CardSpec(
            kind=Kind.QUIZ,
            prompt=normalize(fact.term),
            loc=fact.loc,
            section=found.section,
            context=fact.context,
            front=fact.term,
            back=fact.answers or (fact.definition,),
            extra=tuple(child.text for child in fact.children),
            ordered=fact.ordered,
            attachments=fact.attachments,
            covers=(fact.loc, *(child.loc for child in fact.children)),
        )
