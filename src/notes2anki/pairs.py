"""Split a line into a term and what it says of it, as in TTL - 300 seconds."""

from __future__ import annotations

import re

from notes2anki.frozen import frozen
from notes2anki.text import SENTENCE_INSIDE, mask, words

# A term is what a learner would be asked about: a few words, not a sentence.
MAX_TERM_WORDS = 7


MAX_TERM_CHARS = 60


# A value on the right of "statement = value" is short enough to be recalled whole.
MAX_VALUE_WORDS = 5


MAX_VALUE_CHARS = 48


# Every separator opens with a space or a colon: the regex engine skips ahead to those before
# it tries the rest, four times quicker than trying each alternative at every character.
_SEPARATOR = re.compile(
    r"""
    [\s:\uff1a](?:
        (?<=:):{1,2}\s+          # term:: definition (a flashcard plugin's), term::: definition
      | (?<=:)\s+                # term: definition
      | (?<=\uff1a)\s*           # after a full-width colon no space is needed
      | (?<=\s)\s*(?:
            ={1,3}>\s*           # ==>  ===>
          | ={1,3}\s+            # =  ==  ===
          | --?\s+               # -  --
          | [\u2013\u2014]\s+    # en and em dashes
          | :\s+                 # term : definition
          | -(?=[A-Za-z])        # "OnDemand -for ..." (a dash that lost its space)
        )
    )
    """,
    re.VERBOSE,
)


# "that it has two arguments: …" goes on from the line before it; a term names something.
_CLAUSE_OPENING = re.compile(r"(?:that|which|whose|dass|welche[rsn]?|que|cuyo|qui|dont)\b", re.I)


_WHOLE_BOLD = re.compile(r"\*\*([^*]+)\*\*|__([^_]+)__")


_CLOSING_ASIDE = re.compile(r"\s*\([^()]*\)$")


# "**Expedite** (white): ..." qualifies its term in an aside before the separator.
_BOLD_TERM = re.compile(
    r"^\s*\*\*(?P<term>[^*]+?)\*\*(?P<aside>\s*\([^()*]*\)(?=\s*(?::|-|\u2013|=)\s))?"
    # "**Hardware faults**. Until recently …" runs its heading in with a stop or a comma.
    r"\s*(?P<separator>:|-|\u2013|=|[.,](?=\s|$))?\s*(?P<rest>.*)$",
    re.DOTALL,
)


# "**Define** the image", "**Run** the image": run on into an article in lower case, the bold
# word is the sentence's verb, not a term ("**Latency** is the time …", "**init service** A
# service …" are).
_ARTICLE = re.compile(
    r"(?:the|a|an|this|that|these|those|your|our|its|their|der|die|das|den|dem|ein|eine|einen"
    r"|el|la|los|las|un|una|le|les|une)\s"
)


_VERSUS = re.compile(r"(?:vs\.?|versus|gegen[uü]ber)\s", re.IGNORECASE)


_RIVALS = re.compile(r"\s(?:vs\.?|versus)\s", re.IGNORECASE)


# "**Before CRI:**", "**Atomicity.**", "**Step scaling -**": the separator set in bold with the
# term is no part of it.
_SEPARATOR_IN_BOLD = re.compile(r"\s*(?:[:\uff1a.]|(?<=\s)(?:--?|[\u2013\u2014]))\s*$")


@frozen
class Pair:
    """A line split at its separator: left side, the separator as written, right side."""

    left: str
    separator: str
    right: str


def split_pair(text: str) -> Pair | None:
    """Split a line at its first separator outside code, links and parentheses."""
    whole = _WHOLE_BOLD.fullmatch(text.strip()) if "**" in text or "__" in text else None
    if whole:
        # "**Global DNS: Route 53**": a line set in bold throughout splits inside its marks.
        return split_pair(whole.group(1) or whole.group(2))
    bold = _BOLD_TERM.match(text) if "**" in text else None
    # A separator may stand inside the bold: "**Técnicos:** la codificación …" is a term.
    separated = bold is not None and (
        bold.group("separator") or _SEPARATOR_IN_BOLD.search(bold.group("term")) is not None
    )
    if bold and not separated and _ARTICLE.match(bold.group("rest")):
        bold = None
    if bold and _VERSUS.match(bold.group("rest")):
        return None  # "**Disjunktive** vs. **Konjunktive Normalform**" names two rivals
    if bold and bold.group("rest"):
        term = _SEPARATOR_IN_BOLD.sub("", bold.group("term").strip())
        term = (term or bold.group("term").strip()) + (bold.group("aside") or "")
        return Pair(term, ":", bold.group("rest").strip())
    masked = mask(text)
    for match in _SEPARATOR.finditer(masked):
        left = text[: match.start()].strip()
        right = text[match.end() :].strip()
        if left:
            return Pair(left, match.group().strip(), right)
    return None


def without_aside(term: str) -> str:
    """Drop the aside that closes a term: "Expedite (white)" is Expedite."""
    return _CLOSING_ASIDE.sub("", term) or term


def split_last_pair(text: str) -> Pair | None:
    """Split a line at its last separator outside code, links and parentheses."""
    last = None
    first_word = len(text) - len(text.lstrip())
    for match in _SEPARATOR.finditer(mask(text)):
        if match.start() > first_word:
            last = match
    if last is None:
        return None
    return Pair(text[: last.start()].strip(), last.group().strip(), text[last.end() :].strip())


def names_rivals(text: str) -> bool:
    """Tell whether text sets two things side by side: "Overfitting vs. Underfitting"."""
    return _RIVALS.search(text) is not None


def is_term(text: str) -> bool:
    """Tell whether text is short enough, and unlike a sentence enough, to be asked about."""
    stripped = text.strip()
    return (
        0 < words(stripped) <= MAX_TERM_WORDS
        and len(stripped) <= MAX_TERM_CHARS
        and not SENTENCE_INSIDE.search(stripped)
        and not _CLAUSE_OPENING.match(stripped)
    )


def is_value(text: str) -> bool:
    """Tell whether the right side of a statement is short enough to recall whole."""
    stripped = text.strip().rstrip(".")
    return 0 < words(stripped) <= MAX_VALUE_WORDS and len(stripped) <= MAX_VALUE_CHARS


def strip_lead(text: str) -> str:
    """Drop the trailing separator of a lead line such as "Task placement strategies -"."""
    return re.sub(r"\s*(?:[:=]+>?|-+|\u2013)\s*$", "", text).strip()
