"""Compare cards: a table of what sets the subjects apart, and which-one cards per fact."""

from __future__ import annotations

from collections.abc import Iterator

from notes2anki.cards.rules.base import RuleContext
from notes2anki.model import Kind, SectionFacts
from notes2anki.records import CardSpec
from notes2anki.text import normalize

# Where this rule runs among the others, lowest first (basic, cloze, compare, quiz).
ORDER = 30


def cards(found: SectionFacts, context: RuleContext) -> Iterator[CardSpec]:
    """Make a Compare note per comparison, and a which-one card per fact of one subject."""
    for comparison in found.comparisons:
        yield CardSpec(
            kind=Kind.COMPARE,
            prompt=normalize(" vs ".join(sorted(comparison.subjects, key=normalize))),
            loc=comparison.loc,
            section=found.section,
            context=(),
            front=comparison.title,
            choices=comparison.subjects,
            comparison=comparison,
            covers=comparison.covers,
        )
        for one in comparison.which:
            # A contrast asks for a trait, a plain question; the others name a subject.
            yield CardSpec(
                kind=Kind.BASIC if one.contrast else Kind.WHICH,
                prompt=normalize(one.shown),
                loc=one.loc,
                section=found.section,
                context=(),
                front=one.shown,
                back=(one.answer,),
                choices=() if one.contrast else comparison.subjects,
                covers=(one.loc,),
            )
