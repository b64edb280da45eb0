"""Check every card before it is written: two sides to read, gaps to recall, no stray markup."""

from __future__ import annotations

import re

from notes2anki.model import Kind
from notes2anki.render import visible_text
from notes2anki.text import normalize

# Anki's gaps: "{{c1::hidden}}" or "{{c1::hidden::hint}}".
_GAP = re.compile(r"\{\{c(\d+)::(.*?)(?:::[^}]*)?\}\}", re.DOTALL)
# Code and formulas show their characters as written: "**" in `a**b` is no stray bold.
_VERBATIM = re.compile(
    r"<(pre|code)\b[^>]*>.*?</\1>|\\\(.*?\\\)|\\\[.*?\\\]", re.DOTALL | re.IGNORECASE
)
# What Markdown or HTML left as text: bold marks, [[links]], $formulas$, and tags shown as
# text ("&lt;b&gt;" reads "<b>").
_STRAY = re.compile(
    r"\*\*|\[\[|\]\]|(?<![\w$])\$(?=[^\s\d$])[^$\n]*[^\s$]\$(?!\w)|</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>"
)


def refusal(kind: Kind, fields: tuple[str, ...]) -> str | None:
    """Say why a card must not be written, or None when it may."""
    if kind is Kind.CLOZE:
        return _cloze_refusal(fields)
    front, back = (_readable(field) for field in fields[:2])
    if not front or not back:
        return "a side of the card would be empty"
    if normalize(front) == normalize(back):
        return "its answer repeats its question"
    return _stray(fields[:2])


def _cloze_refusal(fields: tuple[str, ...]) -> str | None:
    text = fields[0]
    numbers = sorted({int(match.group(1)) for match in _GAP.finditer(text)})
    if not numbers:
        return "its text has no gap Anki can read"
    if not _readable(text):
        return "a side of the card would be empty"
    for number in numbers:
        hidden = " ".join(m.group(2) for m in _GAP.finditer(text) if int(m.group(1)) == number)
        if not _readable(hidden):
            return "a gap hides nothing"
    return _stray((_GAP.sub(r"\2", text),))


def _stray(fields: tuple[str, ...]) -> str | None:
    """Name the Markdown or HTML a card's sides would show as text, if any."""
    for field in fields:
        found = _STRAY.search(visible_text(_VERBATIM.sub(" ", field)))
        if found:
            return f"it would show markup as text ({found.group()[:20]})"
    return None


def _readable(field: str) -> str:
    """Return what a field shows: its words, or a mark for a picture."""
    return visible_text(field) or ("[image]" if "<img" in field else "")
