"""Acronym cards: "SQS (Simple Queue Service)" asks what the letters stand for."""

from __future__ import annotations

import re
from collections.abc import Iterator

from notes2anki.cards.rules.base import RuleContext
from notes2anki.model import Kind, SectionFacts
from notes2anki.reading.extract import walk
from notes2anki.records import CardSpec

# After every rule of the package: its cards give way to theirs.
ORDER = 90
_SPELLED = re.compile(r"^([A-Z]{2,6}) \(([A-Z][a-z]+(?: [A-Z][a-z]+)+)\)$")


def cards(found: SectionFacts, context: RuleContext) -> Iterator[CardSpec]:
    """Ask what an acronym stands for, where an item spells it out in its own initials."""
    for fact in walk(found.facts):
        spelled = _SPELLED.match(fact.text)
        if spelled is None:
            continue
        letters, words = spelled.groups()
        if "".join(word[0] for word in words.split()) != letters:
            continue
        yield CardSpec(
            kind=Kind.BASIC,
            prompt=f"{letters} stands for",
            loc=fact.loc,
            section=found.section,
            context=fact.context,
            front=f"What does {letters} stand for?",
            back=(words,),
            covers=(fact.loc,),
        )
