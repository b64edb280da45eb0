"""The card rules, in the order they run; deck.toml switches them on by name."""

from __future__ import annotations

from notes2anki.cards.rules import basic, cloze, compare, quiz
from notes2anki.cards.rules.base import (
    Rule,
    RuleContext,
    Vocabulary,
    asks_for_list,
    is_terse,
    language,
    vocabulary,
)

RULES: tuple[tuple[str, Rule], ...] = (
    ("basic", basic.cards),
    ("cloze", cloze.cards),
    ("compare", compare.cards),
    ("quiz", quiz.cards),
)
RULE_NAMES = tuple(name for name, _ in RULES)

__all__ = [
    "RULES",
    "RULE_NAMES",
    "Rule",
    "RuleContext",
    "Vocabulary",
    "asks_for_list",
    "is_terse",
    "language",
    "select",
    "vocabulary",
]


def select(names: tuple[str, ...] | None) -> tuple[tuple[str, Rule], ...]:
    """Return the rules named (all of them when names is None), in registry order."""
    wanted = set(RULE_NAMES if names is None else names)
    return tuple((name, rule) for name, rule in RULES if name in wanted)
