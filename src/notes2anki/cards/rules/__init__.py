"""The card rules: each module here but base is one, named as its module; deck.toml picks them."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from notes2anki.cards.rules.base import (
    Rule,
    RuleContext,
    Vocabulary,
    asks_for_list,
    is_terse,
    language,
    vocabulary,
)

__all__ = [
    "Rule",
    "RuleContext",
    "Vocabulary",
    "asks_for_list",
    "is_terse",
    "language",
    "registered",
    "rule_names",
    "select",
    "vocabulary",
]


def registered() -> tuple[tuple[str, Rule], ...]:
    """Return every rule by name, in the order they run: by each module's ORDER."""
    return _found(tuple(__path__))


@cache
def _found(folders: tuple[str, ...]) -> tuple[tuple[str, Rule], ...]:
    """Import each rule module of the folders; a rule is a module with `cards` and `ORDER`."""
    found: list[tuple[int, str, Rule]] = []
    for module in pkgutil.iter_modules(list(folders)):
        if module.name == "base" or module.name.startswith("_"):
            continue
        loaded = importlib.import_module(f"{__name__}.{module.name}")
        order, rule = getattr(loaded, "ORDER", None), getattr(loaded, "cards", None)
        if not isinstance(order, int) or not callable(rule):
            raise TypeError(f"{loaded.__name__} is no card rule: it needs ORDER and cards()")
        found.append((order, module.name, rule))
    # Where two sections' cards ask alike, the earlier rule's card is kept: the order counts.
    return tuple((name, rule) for _, name, rule in sorted(found, key=lambda one: one[:2]))


def rule_names() -> tuple[str, ...]:
    """Return the names deck.toml may give in `rules`, in the order the rules run."""
    return tuple(name for name, _ in registered())


def select(names: tuple[str, ...] | None) -> tuple[tuple[str, Rule], ...]:
    """Return the rules named (all of them when names is None), in the order they run."""
    wanted = set(rule_names() if names is None else names)
    return tuple((name, rule) for name, rule in registered() if name in wanted)
