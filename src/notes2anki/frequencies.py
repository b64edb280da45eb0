"""How common each word is in its language, from wordfreq's lists: the rarer, the better a gap."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import cache

import wordfreq

# The languages whose words are weighed; notes in any other language keep the file's own counts.
LANGUAGES = ("en", "de", "es", "fr", "pt", "it", "nl")
# A language is told by how many of its commonest words a text uses.
_MARKER_WORDS = 60


@cache
def zipf_table(language: str) -> Mapping[str, float]:
    """Return each lower-case word's Zipf frequency (log10 of uses per billion words)."""
    # The small lists hold every word used at least once per million words, and load in a
    # few hundredths of a second; a word not in them is rare.
    found = wordfreq.get_frequency_dict(language, wordlist="small")
    return {word: math.log10(share) + 9 for word, share in found.items()}


@cache
def _markers() -> Mapping[str, tuple[str, ...]]:
    """Map each of the languages' commonest words to the languages that use it."""
    users: dict[str, list[str]] = {}
    for language in LANGUAGES:
        for word in wordfreq.top_n_list(language, _MARKER_WORDS, wordlist="small"):
            users.setdefault(word, []).append(language)
    return {word: tuple(languages) for word, languages in users.items()}


def language_of(words: Iterable[str]) -> str:
    """Name the language whose commonest words these lower-case words use most ("" if none)."""
    markers = _markers()
    votes: Counter[str] = Counter()
    for word in words:
        languages = markers.get(word)
        # "de", "a" and "en" are common in several languages: they tell none apart.
        if languages is not None and len(languages) == 1:
            votes[languages[0]] += 1
    if not votes:
        return ""
    return votes.most_common(1)[0][0]
