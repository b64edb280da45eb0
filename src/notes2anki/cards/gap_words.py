"""Tell gaps that give themselves away: words the card shows elsewhere, statements, grammar."""

from __future__ import annotations

import re

from notes2anki.cards.phrase_checks import stresses
from notes2anki.spans import (
    Span,
)
from notes2anki.text import normalize

# A bold run of more words than this, most of them in lower case, stresses a statement: it is
# no phrase to recall ("**crictl is the tool you'll use on exam nodes**").
MAX_MARKED_WORDS = 5


# A gap word this long that the card shows inside a longer word gives itself away.
MIN_PART_CHARS = 6


# A word a card shows outside its gaps; more characters than this outside them hold one.
SHOWS_WORD = re.compile(r"[^\W_]")


def grammar_word(text: str, gap: Span, language: str) -> bool:
    """Tell whether a gap hides one word of the language's commonest: a stop word."""
    hidden = text[gap.start : gap.end]
    return len(hidden.split()) == 1 and stresses(hidden, language)


def unshown(text: str, gaps: list[Span]) -> list[Span]:
    """Keep the gaps whose words their card does not show again, outside or in another gap."""
    # "VPC Endpoints (within the VPC)" hiding "VPC" gives its answer away; gaps that hide the
    # same words hide them together (see segments_of).
    folded = [normalize(text[gap.start : gap.end]) for gap in gaps]
    if len(gaps) == 1 and text.isascii():
        # Most lines have one gap: folded, the rest of an ASCII line holds the gap's first
        # word only where it holds it as written, in any case.
        rest = f"{text[: gaps[0].start]} {text[gaps[0].end :]}".lower()
        if folded[0].split(" ", 1)[0] not in rest:
            return gaps
    ordered = sorted(zip(gaps, folded, strict=True), key=lambda pair: pair[0].start)
    kept: list[Span] = []
    for gap, hidden in zip(gaps, folded, strict=True):
        parts, position = [], 0
        for other, same in ordered:
            if same == hidden:
                parts.append(text[position : other.start])
                position = other.end
        parts.append(text[position:])
        shown = f" {normalize(' | '.join(parts))} "
        # A long word shown inside another gives itself away too: "Assoziierung" in
        # "Reassoziierung", "scaling" in "autoscaling".
        inside = " " not in hidden and len(hidden) >= MIN_PART_CHARS and hidden in shown
        if f" {hidden} " not in shown and not inside:
            kept.append(gap)
    return kept


def is_statement(marked: str) -> bool:
    """Tell whether a marked run says something rather than names it: long, in lower case."""
    tokens = marked.split()
    lower = sum(token[:1].islower() for token in tokens)
    return len(tokens) > MAX_MARKED_WORDS and lower > len(tokens) // 2


def shows_words(text: str, words: str) -> bool:
    """Tell whether text holds these words, whatever their case and marks."""
    return f" {normalize(words)} " in f" {normalize(text)} "
