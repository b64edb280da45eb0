"""Weigh a word wherever it stands: how rare it is, and whether it leads, bridges or says how."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from functools import cache, lru_cache
from typing import NamedTuple

from notes2anki.cards.frequencies import zipf_table
from notes2anki.cards.phrase_words import (
    ACRONYM_RARITY,
    ADVERB_FORMS,
    BRIDGES,
    JOINERS,
    LAST_WORD,
    LEADS,
    MANNER_FORMS,
    NAME_BONUS,
    NAMING,
    NO_MARKERS,
    NUMBER,
    PLURALS,
    POSSESSIVES,
    PURPOSE_OPENING,
    RAREST,
    TOKEN,
    VERB_MARKERS,
    WE_FORM,
    WORD_PARTS,
)
from notes2anki.text import normalize


class Weighed(NamedTuple):
    """What a word weighs wherever it stands, and its folded form."""

    rarity: float  # as the first word of a sentence
    lead: bool
    bridge: bool
    key: str
    named: float  # what it weighs more inside a sentence, as a capitalised name
    purposive: bool  # whether it may open a clause of purpose ("so that", "which")
    adverb: bool  # an adverb of manner: "directly", "rápidamente"


@cache
def weigher(language: str) -> Callable[[str], Weighed]:
    """Return the function that weighs a word of the language, once per word."""
    zipf = zipf_table(language)
    leads = LEADS.get(language, frozenset())

    # Notes use a few thousand words over and over: each is weighed once.
    @lru_cache(maxsize=65536)
    def weigh(token: str) -> Weighed:
        lower = token.lower().replace("\u2019", "'")
        # "unless", "whereas": rare as they are, they join clauses and never belong to a key.
        rarity = (
            0.0
            if lower in JOINERS or lower in NAMING or _says_we(lower, language, zipf)
            else _rarity(token, lower, zipf)
        )
        # A capital inside a sentence names something ("the Master"); German capitalises
        # every noun.
        named = (
            NAME_BONUS
            if language != "de"
            and lower not in JOINERS
            and token[:1].isupper()
            and token[1:].islower()
            else 0.0
        )
        return Weighed(
            rarity,
            lower in leads,
            lower in BRIDGES,
            normalize(token),
            named,
            bool(PURPOSE_OPENING.match(token)),
            _adverb(lower, language, zipf),
        )

    return weigh


def _adverb(lower: str, language: str, zipf: Mapping[str, float]) -> bool:
    """Tell whether a word is an adverb made of an adjective: "directly", "automatically"."""
    form = ADVERB_FORMS.get(language)
    if form is None or not form.fullmatch(lower):
        return False
    if language != "en":
        return True
    # "family", "supply", "assembly" end alike: an adverb's stem is a word of its own.
    if lower.endswith(("ably", "ibly")):
        stem = lower[:-1] + "e"  # "reliably"
    elif lower.endswith("ically"):
        stem = lower[:-4]  # "automatically"
    elif lower.endswith("ily"):
        stem = lower[:-3] + "y"  # "easily"
    else:
        stem = lower[:-2]
    return stem in zipf


def _says_we(lower: str, language: str, zipf: Mapping[str, float]) -> bool:
    """Tell whether a Spanish word is a verb of the first person plural: "insertamos"."""
    # Notes written as "we do this, then we return that" ("regresamos 0") put a verb in the
    # gap; "mínimos", "extremos" end alike, but no verb is made of their stems.
    ending = WE_FORM.search(lower) if language == "es" else None
    if ending is None:
        return False
    stem = lower[: ending.start()]
    if ending.group(1):  # "insertaremos", "volveríamos": the future and the conditional
        return stem + ending.group(1) in zipf
    return any(stem + infinitive in zipf for infinitive in ("ar", "er", "ir"))


def qualifies(masked: str, end: int, language: str) -> bool:
    """Tell whether the word after an adverb is a participle it qualifies: "equally sized"."""
    following = TOKEN.match(masked, end + 1)
    return following is not None and bool(MANNER_FORMS[language].search(following.group()))


def follows_verb(masked: str, start: int, language: str) -> bool:
    """Tell whether the word at start is a verb by the word before it: "will distribute"."""
    # The word before sits just before it: a long line is not searched from its start.
    before = LAST_WORD.search(masked, max(0, start - 40), start)
    return before is not None and before.group(1).lower() in VERB_MARKERS.get(language, NO_MARKERS)


def token_weight(token: str, language: str, inside: bool) -> tuple[float, bool, bool, str]:
    """Return a word's rarity, whether it leads or bridges a phrase, and its folded form."""
    rarity, lead, bridge, key, named, _, _ = weigher(language)(token)
    return (rarity + named if inside else rarity), lead, bridge, key


def _rarity(token: str, lower: str, zipf: Mapping[str, float]) -> float:
    if NUMBER.fullmatch(token):
        return RAREST  # a figure is what a learner recalls
    if len(token) > 1 and token.isupper() and token.isalpha():
        # An acronym is a technical term, even one spelt like a common word ("DR", "IT");
        # most name what the fact is about more than what it says.
        return ACRONYM_RARITY
    return RAREST - _zipf(lower, zipf)


def _zipf(word: str, zipf: Mapping[str, float]) -> float:
    found = zipf.get(word)
    if found is not None:
        return found
    if word.endswith(POSSESSIVES):
        # "object's" is as common as "object".
        return _zipf(word[:-2], zipf)
    for ending in PLURALS:
        # The lists hold the common forms of a word: "gateways" is as common as "gateway".
        if word.endswith(ending) and len(word) > len(ending) + 2:
            found = zipf.get(word[: -len(ending)])
            if found is not None:
                return found
    parts = [part for part in WORD_PARTS.split(word) if part]
    if len(parts) > 1:
        # "nearly-unlimited" is rarer than either of its parts: as wordfreq estimates a phrase,
        # one over its frequency is the sum of one over each part's.
        known = [zipf.get(part, 0.0) for part in parts]
        if not all(known):
            return 0.0
        return -math.log10(sum(10.0**-part for part in known))
    return 0.0
