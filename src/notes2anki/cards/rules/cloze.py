"""Cloze cards: the fact as written, with its key part hidden."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise

from notes2anki.cards.gap_words import SHOWS_WORD, grammar_word, unshown
from notes2anki.cards.gaps import JOINERS, MAX_GAPS, gaps_of
from notes2anki.cards.rules.base import (
    RuleContext,
    asks_for_list,
)
from notes2anki.model import Fact, Kind, SectionFacts
from notes2anki.reading.questions import asks, asks_bare
from notes2anki.records import CardSpec, Segment
from notes2anki.spans import (
    Span,
    explicit_gaps,
)
from notes2anki.text import normalize

_FEW_MARKS = 8
# An entry of a list written in a line, and the asides that may follow it.
_ENTRY_SEPARATOR = re.compile(rf"\s*,\s*(?:{JOINERS}\s+)?|\s+{JOINERS}\s+")
_ASIDE = re.compile(r"\([^()]*\)")
MAX_ENTRY_WORDS = 2
MIN_ENTRIES = 3
# Entries of one list opening with the same word, at least this many and most of them.
MIN_PATTERNED = 3

# Where this rule runs among the others, lowest first (basic, cloze, compare, quiz).
ORDER = 20


def cards(found: SectionFacts, context: RuleContext) -> Iterator[CardSpec]:
    """Make one Cloze note per fact that has a key part to hide."""
    seen: set[tuple[tuple[str, ...], str]] = set()
    labels = _labels(found.facts)
    patterned = _patterned(found.facts)
    for fact in _askable(found.facts, context):
        if fact.explicit is Kind.CLOZE:
            segments = written_segments(fact.text)
        else:
            chosen = [gap for gap in gaps_of(fact, context, labels) if _hideable(fact.text, gap)]
            gaps = unshown(fact.text, chosen[:MAX_GAPS])
            if context.language:
                # A grammar word alone ("not", "one", "the") asks nothing of the fact.
                gaps = [gap for gap in gaps if not grammar_word(fact.text, gap, context.language)]
            if "?" in fact.text or "\uff1f" in fact.text or asks_bare(fact.text):
                # A question states nothing: a word of it is no answer to recall.
                gaps = [gap for gap in gaps if not asks(fact.text, gap.end)]
            if id(fact) in patterned:
                # "No email or message abuse" among "No network abuse", "No security
                # violations": the word every entry opens with is the list's pattern, no key.
                gaps = [gap for gap in gaps if fact.text[: gap.start].strip(" *_")]
            if not gaps or _hides_all(fact.text, gaps) or _listed(fact):
                continue
            segments = segments_of(fact.text, gaps)
        # A cloze asks with what it shows, so its identity is the shown text: a changed answer
        # (a figure, a term) keeps the note.
        key = (fact.context, normalize("".join("_" if s.hidden else s.markdown for s in segments)))
        if key in seen:
            continue
        seen.add(key)
        yield CardSpec(
            kind=Kind.CLOZE,
            prompt=key[1],
            loc=fact.loc,
            section=found.section,
            context=fact.context,
            segments=segments,
            extra=tuple(child.text for child in fact.children),
            ordered=fact.ordered,
            attachments=fact.attachments,
            covers=(fact.loc,),
        )


def _askable(facts: tuple[Fact, ...], context: RuleContext) -> Iterator[Fact]:
    """Yield facts worth a cloze: not leads, nor facts another enabled rule asks better."""
    for fact in facts:
        is_lead = fact.is_lead
        taken = (
            fact.reference
            or fact.explicit is Kind.BASIC
            or (fact.question and "quiz" in context.enabled)
            or (fact.subject is not None and "compare" in context.enabled)
        )
        if fact.explicit is Kind.CLOZE or not (is_lead or taken):
            yield fact
        listed = is_lead and asks_for_list(fact)
        for child in fact.children:
            # The plain entries under a lead are asked by the lead's Basic card.
            if not listed or child.is_pair or child.children or child.explicit:
                yield from _askable((child,), context)


def written_segments(text: str) -> tuple[Segment, ...]:
    """Cut text at the gaps its author wrote, keeping their numbers and hints."""
    segments: list[Segment] = []
    position = 0
    for span, number, hidden in explicit_gaps(text):
        if span.start > position:
            segments.append(Segment(text[position : span.start]))
        segments.append(Segment(hidden, hidden=number))
        position = span.end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return tuple(segments)


def _patterned(facts: tuple[Fact, ...]) -> frozenset[int]:
    """Find the entries that open with the word most of their list's entries open with."""
    found: set[int] = set()
    pending = [facts]
    while pending:
        entries = [fact for fact in pending.pop() if not fact.is_pair]
        pending.extend(fact.children for fact in entries if fact.children)
        if len(entries) < MIN_PATTERNED:
            continue
        openings = [fact.text.lstrip(" *_").split(" ", 1)[0].casefold() for fact in entries]
        common, count = Counter(openings).most_common(1)[0]
        if count >= MIN_PATTERNED and 2 * count > len(entries):
            found.update(
                id(fact) for fact, word in zip(entries, openings, strict=True) if word == common
            )
    return frozenset(found)


def _labels(facts: tuple[Fact, ...]) -> frozenset[str]:
    """Find the terms that pairs under different compared subjects use: "Max duration"."""
    # "Max duration: …" under "Standard" and again under "Express" names a field of each, not
    # a thing; "Environment Variables - …" in two lists of sources is a name either way.
    subjects: dict[str, set[str]] = {}
    for fact in facts:
        for child in fact.children if fact.subject is not None else ():
            if child.is_pair and child.term is not None:
                subjects.setdefault(normalize(child.term), set()).add(fact.subject or "")
    return frozenset(term for term, under in subjects.items() if len(under) > 1)


def segments_of(text: str, gaps: list[Span]) -> tuple[Segment, ...]:
    """Cut text into shown and hidden runs, numbering the hidden ones c1, c2, ..."""
    segments: list[Segment] = []
    position = 0
    # Gaps that hide the same words hide them together: a card never shows what it asks.
    numbers: list[tuple[frozenset[str], int]] = []
    for gap in sorted(gaps, key=lambda g: g.start):
        # Most lines have one gap: its words are not compared with any.
        hidden = frozenset(normalize(text[gap.start : gap.end]).split() if len(gaps) > 1 else ())
        number = next((n for said, n in numbers if _alike(said, hidden)), len(numbers) + 1)
        numbers.append((hidden, number))
        if gap.start > position:
            segments.append(Segment(text[position : gap.start]))
        segments.append(Segment(text[gap.start : gap.end], hidden=number))
        position = gap.end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return tuple(segments)


def _alike(one: frozenset[str], other: frozenset[str]) -> bool:
    """Tell whether two gaps hide the same words, or most of one's words are the other's."""
    # "show spanning-tree pathcost method" beside "spanning-tree pathcost method {short|long}":
    # each card would show nearly all the other hides.
    shared = len(one & other)
    return one == other or (shared >= 2 and 2 * shared >= min(len(one), len(other)))


def _hides_all(text: str, gaps: list[Span]) -> bool:
    """Tell whether the gaps leave no word in sight: "{{c1::**Singleton with static factory**}}"."""
    hidden = sum(gap.end - gap.start for gap in gaps)
    if len(text) - hidden > _FEW_MARKS:
        return False  # most gaps leave most of their line: it shows a word, not marks alone
    bounds = [Span(0, 0), *sorted(gaps, key=lambda gap: gap.start), Span(len(text), 0)]
    shown = "".join(text[a.end : b.start] for a, b in pairwise(bounds))
    return not SHOWS_WORD.search(shown)


def _listed(fact: Fact) -> bool:
    """Tell whether an item under another only lists names: "HTTP, HTTPS, TCP, SSL"."""
    # Which one of them a gap hides is a guess: the list is asked whole, by the item above it.
    if fact.is_pair or not fact.context or fact.text.count(",") < 2:
        return False
    entries = _ENTRY_SEPARATOR.split(_ASIDE.sub("", fact.text).strip(" .;"))
    return len(entries) >= MIN_ENTRIES and all(
        0 < len(entry.split()) <= MAX_ENTRY_WORDS for entry in entries
    )


def _hideable(text: str, gap: Span) -> bool:
    # Anki reads "::" inside a gap as the start of a hint, and "}}" as its end.
    hidden = text[gap.start : gap.end]
    return bool(hidden.strip()) and "::" not in hidden and "}}" not in hidden and "{{" not in hidden
