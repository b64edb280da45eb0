"""Check every card before it is written: two sides to read, gaps to recall, no stray markup."""

from __future__ import annotations

import re

from notes2anki.cards.render import visible_text
from notes2anki.model import Kind
from notes2anki.text import normalize

# Anki's gaps: "{{c1::hidden}}" or "{{c1::hidden::hint}}".
_GAP = re.compile(r"\{\{c(\d+)::(.*?)(?:::[^}]*)?\}\}", re.DOTALL)
# Code and formulas show their characters as written: "**" in `a**b` is no stray bold.
_VERBATIM = re.compile(
    r"<(pre|code)\b[^>]*>.*?</\1>|\\\(.*?\\\)|\\\[.*?\\\]", re.DOTALL | re.IGNORECASE
)
_SUSPECT = re.compile(r"[*\[\]$<]")
# What Markdown or HTML left as text: bold marks, [[links]], $formulas$, and tags shown as
# text ("&lt;b&gt;" reads "<b>").
_STRAY = re.compile(
    r"\*\*|\[\[|\]\]|(?<![\w$])\$(?=[^\s\d$])[^$\n]*[^\s$]\$(?!\w)|</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>"
)


def refusal(kind: Kind, fields: tuple[str, ...], shown: tuple[str, ...]) -> str | None:
    """Say why a card must not be written, or None when it may; shown: its sides' text."""
    if kind is Kind.CLOZE:
        return _cloze_refusal(fields[0], shown[0])
    front, back = shown
    if not front or not back:
        return "a side of the card would be empty"
    # Sides of very different lengths cannot read alike: most cards are passed at a glance.
    if abs(len(front) - len(back)) <= len(front) // 2 and normalize(front) == normalize(back):
        return "its answer repeats its question"
    return _stray(fields[0], front) or _stray(fields[1], back)


def _cloze_refusal(text: str, shown: str) -> str | None:
    hidden: dict[str, list[str]] = {}
    for number, words in _GAP.findall(text):
        hidden.setdefault(number, []).append(words)
    if not hidden:
        return "its text has no gap Anki can read"
    if not shown:
        return "a side of the card would be empty"
    if not all(map(_readable, map(" ".join, hidden.values()))):
        return "a gap hides nothing"
    return _stray(text, shown)


def _stray(field: str, shown: str) -> str | None:
    """Name the Markdown or HTML a side would show as text, if any."""
    if not _SUSPECT.search(shown):
        return None  # most sides show no character that markup is made of
    if "<code" in field or "<pre" in field or "\\(" in field or "\\[" in field:
        shown = visible_text(_VERBATIM.sub(" ", field))
    found = _STRAY.search(shown)
    return f"it would show markup as text ({found.group()[:20]})" if found else None


def _readable(field: str) -> str:
    """Return what a field shows: its words, or a mark for a picture."""
    return visible_text(field) or ("[image]" if "<img" in field else "")
