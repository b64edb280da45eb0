"""Basic cards: a term asks for its definition; a lead asks for the list under it."""

from __future__ import annotations

from collections.abc import Iterator

from notes2anki.cards.phrase_checks import only_joins
from notes2anki.cards.rules.base import RuleContext, answer_is_value, asks_for_list
from notes2anki.model import Fact, Kind, SectionFacts
from notes2anki.reading.extract import prompt_of, walk
from notes2anki.records import CardSpec
from notes2anki.text import fold_name

# Where this rule runs among the others, lowest first (basic, cloze, compare, quiz).
ORDER = 10


def cards(found: SectionFacts, context: RuleContext) -> Iterator[CardSpec]:
    """Make one Basic card per term (all its definitions in the section together) and per lead."""
    groups: dict[tuple[str, tuple[str, ...], str], list[Fact]] = {}
    for fact in walk(found.facts):
        if fact.reference:
            continue
        if fact.explicit is Kind.BASIC or (
            fact.explicit is None
            and not fact.question
            and fact.is_pair
            and not answer_is_value(fact)
        ):
            key = ("pair", fact.context, fold_name(prompt_of(fact)))
        elif asks_for_list(fact):
            prompt = prompt_of(fact)
            if only_joins(prompt):
                continue  # "to" between two code blocks asks nothing
            key = ("lead", fact.context, fold_name(prompt))
        else:
            continue
        groups.setdefault(key, []).append(fact)
    for (shape, _, prompt), group in groups.items():
        yield _card(group, prompt, asks_for_list=shape == "lead")


def _card(group: list[Fact], prompt: str, asks_for_list: bool) -> CardSpec:
    first = group[0]
    # A link under a fact is somewhere to read: no part of what the card asks.
    children = [child for fact in group for child in fact.children if not child.points_away]
    listed = tuple(child.text for child in children)
    return CardSpec(
        kind=Kind.BASIC,
        prompt=prompt,
        loc=first.loc,
        section=first.section,
        context=first.context,
        front=prompt_of(first),
        # A lead asks for the list under it; a term asks for its definitions, the list as extra.
        back=listed if asks_for_list else tuple(fact.definition or "" for fact in group),
        extra=() if asks_for_list else listed,
        ordered=first.ordered,
        attachments=tuple(attachment for fact in group for attachment in fact.attachments),
        covers=tuple(fact.loc for fact in group) + tuple(child.loc for child in children),
    )
