"""Find what a sentence says of its subject: the complement of a copula, or its predicate."""

from __future__ import annotations

import re
from functools import lru_cache

from notes2anki.cards.phrase_words import (
    BRIDGES,
    CLAUSE_ENDS,
    COMMON_RARITY,
    CONDITIONS,
    EDGE_RARITY,
    MANNER_FORMS,
    MAX_GAP_WORDS,
    MODALS,
    NO_FORM,
    TOKEN,
)
from notes2anki.cards.word_weights import token_weight
from notes2anki.spans import Span
from notes2anki.text import SENTENCE_END, mask, normalize


@lru_cache(maxsize=4096)
def complement(text: str, language: str, shown: frozenset[str]) -> Span | None:
    """Find what a short definition says its subject is: "SQS is {a pull based system}"."""
    links = COPULAS.get(language)
    if links is None or not COPULA_WORDS[language].search(text):
        return None  # most facts define nothing: they are passed over unread
    first, tokens, link = _linked(text, links)
    # The subject: a few words before "is", more than one word or not a common one ("It is"
    # and "There is" name nothing).
    if (
        not link
        or tokens[0].group().lower() in CLAUSE_ENDS  # "If the servers are public-facing"
        or (link == 1 and token_weight(tokens[0].group(), language, True)[0] < EDGE_RARITY)
    ):
        return None
    # What it is runs to the end of the clause.
    rest = tokens[link + 1 :]
    while rest and rest[0].group().lower() in BRIDGES:
        rest = rest[1:]  # "a pull based system" is hidden as "pull based system"
    words = _clause(first, rest)
    if not words or words[-1].group().lower() in BRIDGES:  # "is determined by | whether ..."
        return None
    weights = [token_weight(w.group(), language, True)[0] for w in words]
    keys = {normalize(w.group()) for w in words}
    if (max(weights) < COMPLEMENT_RARITY and sum(weights) < COMPLEMENT_SUM) or keys <= shown:
        return None
    return _once(text, words)


# A definition's verb ("SQS is a pull based system"), and the words that end its clause.
MAX_SUBJECT_WORDS = 4
# What a definition says is a key when one of its words is this rare: "pull based", not
# "a good choice".
COMPLEMENT_RARITY = 1.2
# ... or when its words together are this rare: "pull based system".
COMPLEMENT_SUM = 1.8
COPULAS = {
    "en": frozenset(("is", "are")),
    "de": frozenset(("ist", "sind")),
    "es": frozenset(("es", "son")),
    "fr": frozenset(("est", "sont")),
}
COPULA_WORDS = {
    language: re.compile(rf"\b(?:{'|'.join(sorted(words))})\b", re.IGNORECASE)
    for language, words in COPULAS.items()
}


def predicate(text: str, language: str, shown: frozenset[str]) -> Span | None:
    """Find what a short line says its subject can or will do: "Long polling can {save money}"."""
    modals = MODALS.get(language)
    if modals is None:
        return None
    first, tokens, link = _linked(text, modals)
    if not link:
        return None  # no subject before it, or no "can" / "will" near the start
    words = _clause(first, tokens[link + 1 :])
    if not words:
        return None
    # A word in it says what is done, not only how ("be mixed together", "be associated"), and
    # is no everyday one ("be used") nor one the card shows anyway.
    form = MANNER_FORMS.get(language, NO_FORM)
    keys = {normalize(word.group()) for word in words}
    if keys <= shown or not any(
        token_weight(word.group(), language, True)[0] > COMMON_RARITY
        and not form.search(word.group().lower())
        for word in words
    ):
        return None
    return _once(text, words)


def _linked(text: str, links: frozenset[str]) -> tuple[str, list[re.Match[str]], int | None]:
    """Find a first sentence's main-clause words and where its link ("is", "can") stands."""
    first = SENTENCE_END.split(mask(text), maxsplit=1)[0]
    tokens = list(TOKEN.finditer(first))
    if tokens and tokens[0].group().lower() in CONDITIONS and "," in first:
        # "If you have a performance problem, your system is slow": the fact follows the comma.
        comma = first.index(",")
        tokens = [token for token in tokens if token.start() > comma]
    link = next(
        (i for i, t in enumerate(tokens[: MAX_SUBJECT_WORDS + 1]) if t.group().lower() in links),
        None,
    )
    return first, tokens, link


def _clause(first: str, rest: list[re.Match[str]]) -> list[re.Match[str]]:
    """Return the words that run on to the end of their clause: a gap's, or none."""
    words: list[re.Match[str]] = []
    for token in rest:
        between = first[(words[-1].end() if words else token.start()) : token.start()]
        if token.group().lower() in CLAUSE_ENDS or between.strip():
            break
        words.append(token)
    if not 1 <= len(words) <= MAX_GAP_WORDS or not closes_clause(first, words[-1].end()):
        return []
    return words


def _once(text: str, words: list[re.Match[str]]) -> Span | None:
    """Return the words' span, unless the text says them again (a gap would show its answer)."""
    span = Span(words[0].start(), words[-1].end())
    folded = normalize(text[span.start : span.end])
    return span if f" {normalize(text)} ".count(f" {folded} ") == 1 else None


def closes_clause(sentence: str, end: int) -> bool:
    """Tell whether a clause ends here: at a stop, a comma, a "but" or the sentence's end."""
    after = sentence[end:].lstrip()
    return not after or after[0] in ".,;:!?(" or after.split()[0].lower() in CLAUSE_ENDS
