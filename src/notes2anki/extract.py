"""Turn the items of a section into Facts: term and definition split, nesting kept as context."""

from __future__ import annotations

from collections.abc import Iterator

from notes2anki.model import Fact, Item, Section
from notes2anki.text import is_term, split_pair, strip_lead


def facts_of(section: Section) -> tuple[Fact, ...]:
    """Read every item of one section (not its subsections) into a Fact."""
    return tuple(_fact(item, section, ()) for item in section.items)


def walk(facts: tuple[Fact, ...]) -> Iterator[Fact]:
    """Yield facts and the facts nested under them, depth first in document order."""
    for fact in facts:
        yield fact
        yield from walk(fact.children)


def prompt_of(fact: Fact) -> str:
    """Return what a fact is about: its term, or its lead without a trailing separator."""
    return fact.term if fact.term is not None else strip_lead(fact.text)


def _fact(item: Item, section: Section, context: tuple[str, ...]) -> Fact:
    pair = split_pair(item.text)
    term = definition = None
    separator = ""
    if pair is not None and is_term(pair.left):
        term, definition, separator = pair.left, pair.right, pair.separator
    inner = (*context, term if term is not None else strip_lead(item.text))
    return Fact(
        text=item.text,
        loc=item.loc,
        section=section,
        context=context,
        term=term,
        definition=definition,
        separator=separator,
        children=tuple(_fact(child, section, inner) for child in item.children),
        ordered=any(child.ordered for child in item.children),
    )
