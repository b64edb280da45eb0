"""Find where in a line the figures, counts, key words and marked parts stand: a gap's places."""

from __future__ import annotations

import re
from functools import lru_cache

from notes2anki.frozen import frozen
from notes2anki.pairs import Pair
from notes2anki.text import mask

_UNSEEN = re.compile(r"!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)")


_NUMBER = r"\d+(?:[.,]\d+)*"


_UNIT = (
    r"(?:ms|milliseconds?|secs?|seconds?|s|mins?|minutes?|m|h|hrs?|hours?|days?|weeks?|months?"
    r"|years?|[KMGTP]i?B|[KMGTP]Bs?|(?<=\d)B|[Bb]ytes?|%|IOPS|vCPUs?|requests?|copies|times|x"
    # Rates and frequencies: "10Gbps", "100 Mbit/s", "2.4 GHz".
    r"|[kKMGT]?bps|[kKMGT]bit/s|[kMG]Hz"
    # The same in German, Spanish, French and Portuguese notes.
    r"|Sekunden?|Minuten?|Stunden?|Tage?n?|Wochen?|Monate?n?|Jahre?n?|Bits?"
    r"|segundos?|minutos?|horas?|d[ií]as?|semanas?|meses|mes|a[nñ]os?"
    r"|secondes?|heures?|jours?|semaines?|mois|ans?)"
)


# Both open with a character to look for, the boundary before it asserted after it: the regex
# engine then skips ahead to that character instead of trying every position.
_DEFAULT_VALUE = re.compile(
    rf"[Dd](?<!\w[Dd])efault(?:\s+(?:is|of|value))?\s*[=:]?\s*"
    rf"(?P<value>{_NUMBER}(?:\s?{_UNIT}(?![\w]))?)"
)


_UNIT_FIGURE = re.compile(
    rf"\d(?<![\w.$/]\d)\d*(?:[.,]\d+)*(?:\s?{_UNIT})?(?:\s*(?:to|\u2013)\s*{_NUMBER})?"
    rf"\s?{_UNIT}(?![\w])"
)


_DIGIT = re.compile(r"\d")


# "more then" too: notes often write "then" for "than".
_BOUND = re.compile(
    r"\b(?:less than|more than|more then|fewer than|up to|at least|at most|menos de|más de|hasta"
    r"|weniger als|mehr als|bis zu|mindestens|höchstens|moins de|plus de|au moins)\s+$",
    re.IGNORECASE,
)


_COUNT_WORD = re.compile(
    r"\b(?:once|twice|one|two|three|four|five|six|seven|eight|nine|ten|single)\b"
    r"(?!\s+(?:or|of|another|to)\b)",
    re.I,
)


# A gap opening with a figure or a count word, which a bound before it belongs to.
_COUNT_OPENING = re.compile(rf"\d|{_COUNT_WORD.pattern}", re.IGNORECASE)


_POLARITY_WORDS = r"\b(?:cannot|can't|can not|not|never|only|always|must|mandatory|required|no)\b"


_POLARITY = re.compile(_POLARITY_WORDS, re.I)


_POLARITY_LOWER = re.compile(_POLARITY_WORDS)


_TOKEN = re.compile(r"[A-Za-z0-9](?:[\w.-]*[A-Za-z0-9])?")


# The same tokens in ASCII text, less the plain lower-case words: most of a line, and never
# a key word, they are passed over inside the regex engine. A token never starts just after a
# letter or digit (it would have gone on), so no word is tried again from its middle.
_ASCII_KEY_TOKEN = re.compile(
    r"(?<![A-Za-z0-9])(?![a-z]++(?![\w.-]*[A-Za-z0-9]))[A-Za-z0-9](?:[\w.-]*[A-Za-z0-9])?"
)


_QUOTED = re.compile(r"\"([^\"]{2,40})\"")


# A file's path, from the home or the root folder: "~/.aws/credentials", "/etc/hosts".
_PATH = re.compile(r"(?<![\w/.:~-])~?/[\w.-]*\w(?:/[\w.-]*\w)+")


_APOSTROPHES = frozenset("'\u2019")


# What stands before a sentence's first word (marks may open it: "**Don't …").
_SENTENCE_START = re.compile(r"(?:^|[.!?:;(]\s*|\s[-=]+>?\s*)[*_]*$")


# Emphasis opens on a word and closes after one: in "**nodo_hash_t** y **hash_t**" the marks
# around " y " close one bold run and open the next.
_EMPHASIS = re.compile(r"\*\*(?!\s)[^*]+?(?<!\s)\*\*|__(?!\s)[^_]+?(?<!\s)__|`[^`]+`")


_ANKI_CLOZE = re.compile(r"\{\{c(?P<number>\d+)::(?P<inner>.+?)\}\}")


_HIGHLIGHT = re.compile(r"(?<![=\w])==(?=\S)(?P<inner>[^=]+?)(?<=\S)==(?![=\w])")


_EXPLICIT_PAIR = re.compile(r"^(?P<term>.+?)\s+::\s+(?P<definition>.+)$")


@frozen
class Span:
    """A part of a line, by character offsets."""

    start: int
    end: int


@lru_cache(maxsize=8192)
def figures(text: str) -> tuple[Span, ...]:
    """Find figures with units and default values, outside code and links."""
    masked = mask(text, asides=False)
    spans = [
        Span(match.start("value"), match.end("value")) for match in _DEFAULT_VALUE.finditer(masked)
    ]
    measured: list[Span] = []
    for match in _UNIT_FIGURE.finditer(masked):
        # "less than 1 second" is the figure to recall, not "1 second".
        bound = _BOUND.search(masked, max(0, match.start() - 16), match.start())
        start = bound.start() if bound else match.start()
        if measured and not masked[measured[-1].end : start].strip():
            # "8h 45min 57s" is one duration, recalled whole.
            start = measured.pop().start
        measured.append(Span(start, match.end()))
    return _without_overlaps(spans + measured)


def bounded(text: str, span: Span) -> Span:
    """Widen a gap that opens with a count to the bound before it: "more than one copy"."""
    if not _COUNT_OPENING.match(text, span.start):
        return span
    bound = _BOUND.search(mask(text), max(0, span.start - 16), span.start)
    return Span(bound.start(), span.end) if bound else span


def counts(text: str) -> tuple[Span, ...]:
    """Find counts written as words, as in "only run once", outside code, links and asides."""
    masked = mask(text)
    return tuple(Span(match.start(), match.end()) for match in _COUNT_WORD.finditer(masked))


def starts_with_figure(text: str) -> bool:
    """Tell whether a definition opens with a figure, as in "300 secs, can be changed"."""
    found = figures(text)
    if not found:
        return False
    # "up to 90% cheaper" opens with words, not with its figure.
    digit = _DIGIT.search(text, found[0].start)
    return not text[: digit.start() if digit else found[0].start].strip(" ~(")


def emphasised(text: str) -> tuple[Span, ...]:
    """Find the parts the author marked as key: bold text and inline code, where they show."""
    # An image's alt text and a link's address never show on a card: a gap there hides nothing.
    unseen = [match.span() for match in _UNSEEN.finditer(text)] if "](" in text else []
    return tuple(
        Span(match.start(), match.end())
        for match in _EMPHASIS.finditer(text)
        if not any(start < match.end() and match.start() < end for start, end in unseen)
    )


def quoted(text: str) -> tuple[Span, ...]:
    """Find the words an author set in double quotes, outside code and links."""
    if '"' not in text:
        return ()
    masked = mask(text, asides=False)
    return tuple(Span(m.start(1), m.end(1)) for m in _QUOTED.finditer(masked))


# Each line of a file is read by several rules in turn: remember the last few thousand scans.
@lru_cache(maxsize=8192)
def keywords(text: str) -> tuple[tuple[str, Span, int], ...]:
    """Find words worth hiding, ranked: quoted 0, technical 1, proper names 2, polarity 3."""
    # Technical words are acronyms, CamelCase and names with digits ("SSE-C", "DynamoDB",
    # "us-east-1"); proper names are capitalised words that do not open a sentence; polarity
    # words ("cannot", "only", "must") turn a plain statement into a true-or-false recall.
    masked = mask(text, asides=False)
    found: list[tuple[str, Span, int]] = [
        (m.group(1), Span(m.start(1), m.end(1)), 0) for m in _QUOTED.finditer(masked)
    ]
    # A path ("~/.aws/credentials") is technical, whole: its parts are no words of their own.
    paths = [m.span() for m in _PATH.finditer(masked)] if "/" in masked else []
    found += [(masked[start:end], Span(start, end), 1) for start, end in paths]
    name: list[re.Match[str]] = []

    def close_name() -> None:
        if name:
            start, end = name[0].start(), name[-1].end()
            found.append((masked[start:end], Span(start, end), 2))
            name.clear()

    # A name is closed by any token that does not go on with it, even one passed over: the
    # gap before its next word is then more than a space.
    tokens = _ASCII_KEY_TOKEN if masked.isascii() else _TOKEN
    for match in tokens.finditer(masked):
        token = match.group()
        if paths and any(start <= match.start() < end for start, end in paths):
            close_name()
        elif token.isalpha() and token.islower():
            close_name()  # most words of a line: plain lower-case letters, never a key word
        elif (
            sum(map(str.isupper, token)) >= 2
            or (any(map(str.isdigit, token)) and any(map(str.isalpha, token)))
        ) and not token.isdigit():
            close_name()
            found.append((token, Span(match.start(), match.end()), 1))
        elif (
            token[:1].isupper()
            and token[1:].islower()
            and not _SENTENCE_START.search(masked[max(0, match.start() - 8) : match.start()])
            and match.start() > 0
            and masked[match.end() : match.end() + 1] not in _APOSTROPHES  # "Don't"
        ):
            if name and masked[name[-1].end() : match.start()] != " ":
                close_name()
            name.append(match)
        else:
            close_name()
    close_name()
    # A case-blind search is several times slower than a plain one: ASCII lines (whose length
    # lower-casing keeps) are searched lower-cased.
    hits = (
        _POLARITY_LOWER.finditer(masked.lower()) if masked.isascii() else _POLARITY.finditer(masked)
    )
    found += [(masked[m.start() : m.end()], Span(m.start(), m.end()), 3) for m in hits]
    return tuple(sorted(found, key=lambda item: item[1].start))


def _without_overlaps(spans: list[Span]) -> tuple[Span, ...]:
    chosen: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if chosen and span.start < chosen[-1].end:
            continue
        chosen.append(span)
    return tuple(chosen)


def explicit_pair(text: str) -> Pair | None:
    """Split "term :: definition", the explicit way to ask for a Basic card."""
    if "::" not in text or _ANKI_CLOZE.search(text):
        return None
    match = _EXPLICIT_PAIR.match(text)
    if match is None:
        return None
    return Pair(match.group("term").strip(), "::", match.group("definition").strip())


def explicit_gaps(text: str) -> tuple[tuple[Span, int, str], ...]:
    """Find the gaps an author wrote, as (span, cloze number, hidden Markdown)."""
    if "{{" not in text and "==" not in text:
        return ()  # most lines have neither of the marks a written gap needs
    # Anki's own {{c1::...}} keep their numbers; ==highlights== are numbered after them.
    written = [
        (Span(m.start(), m.end()), int(m.group("number")), m.group("inner"))
        for m in _ANKI_CLOZE.finditer(text)
    ]
    next_number = max((number for _, number, _ in written), default=0) + 1
    marked = [
        (Span(m.start(), m.end()), next_number + index, m.group("inner"))
        for index, m in enumerate(
            _HIGHLIGHT.finditer(mask(text, asides=False)) if "==" in text else ()
        )
    ]
    return tuple(sorted(written + marked, key=lambda gap: gap[0].start))
