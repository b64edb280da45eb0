"""The card rules, in the order they run; deck.toml switches them on by name."""

from __future__ import annotations

from notes2anki.rules import basic, cloze
from notes2anki.rules.base import Rule, Vocabulary, vocabulary

RULES: tuple[tuple[str, Rule], ...] = (
    ("basic", basic.cards),
    ("cloze", cloze.cards),
)
RULE_NAMES = tuple(name for name, _ in RULES)

__all__ = ["RULES", "RULE_NAMES", "Rule", "Vocabulary", "select", "vocabulary"]


def select(names: tuple[str, ...] | None) -> tuple[Rule, ...]:
    """Return the rules named (all of them when names is None), in registry order."""
    wanted = set(RULE_NAMES if names is None else names)
    return tuple(rule for name, rule in RULES if name in wanted)
