"""Fold, count, mask and split the words of a line of notes: what every stage reads text with."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Shorter items without a definition are headings in disguise, not facts.
MIN_FACT_WORDS = 4

# Han ideographs, kana and CJK compatibility ideographs: scripts written without spaces.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# A stop inside a text: it holds more than a term.
# The stop of "vs." ends no sentence: "**Disjunktive** vs. **Konjunktive Normalform**".
_NOT_VERSUS = r"(?<![\s(][vV]s\.)"
SENTENCE_INSIDE = re.compile(rf"[.!?]{_NOT_VERSUS}\s|[\u3002\uff01\uff1f]")

# A sentence ends at ".", "!" or "?" before a space, or at a full-width stop.
# A stop before a digit or a lower-case letter ends an abbreviation ("mind. 6 Frames", "e.g. the
# cache"), not a sentence; so does the stop of "vs.".
SENTENCE_END = re.compile(
    rf"(?<=[.!?]){_NOT_VERSUS}\s+(?=\S)(?![\da-z\u00df-\u00f6\u00f8-\u00ff])"
    r"|(?<=[\u3002\uff01\uff1f])"
)
_CODE_SPAN = re.compile(r"(`+).+?\1")
_MATH = re.compile(r"\$\$.+?\$\$|(?<![\w$])\$(?=\S)[^$\n]+?(?<=\S)\$(?![\w$])")
_LINK = re.compile(
    r"!?\[\[[^\]\n]*\]\]|!?\[[^\]]*\]\([^)]*\)|<[a-z]+://[^>]*>|\b[a-z][a-z0-9+.-]*://\S+", re.I
)


def unspaced(text: str) -> int:
    """Count the characters of scripts written without spaces (Chinese, Japanese)."""
    return len(_UNSPACED.findall(text))


def words(text: str) -> int:
    """Count the words of a line: those between spaces, and in Chinese or Japanese two a word."""
    if text.isascii():
        return len(text.split())  # the same words as the pattern \S+ finds, without listing them
    # Chinese and Japanese are written without spaces; their words are one to three
    # characters long, two on average.
    ideographs = unspaced(text)
    if not ideographs:
        return len(text.split())
    return len(_UNSPACED.sub(" ", text).split()) + (ideographs + 1) // 2


_MARKS = re.compile(r"[*_`~]+")
_PUNCTUATION = re.compile(r"[^\w\s]+")


_ASCII_MARKS = b"*_`~"


def _ascii_folding() -> bytes:
    """Fold ASCII as normalize does, in one byte table: punctuation but marks a space."""
    # Bytes are translated by a plain table lookup, twice as quick as a str's translation.
    return bytes(
        code if code > 127 or re.fullmatch(r"[\w\s]", chr(code)) else ord(" ")
        for code in range(256)
    )


_ASCII_FOLDING = _ascii_folding()


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """Fold a line to a comparable form: case, width, punctuation and spacing ignored."""
    if text.isascii():
        folded = text.encode("ascii").lower().translate(_ASCII_FOLDING, _ASCII_MARKS)
        return " ".join(folded.decode("ascii").split())
    return fold(text)


def fold_name(text: str) -> str:
    """Fold a name as normalize does; one of symbols alone ('"+"', '"?"') is kept as written."""
    return normalize(text) or text.strip()


def fold(text: str) -> str:
    """Fold any text as normalize does, by Unicode's rules."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _MARKS.sub("", folded)
    folded = _PUNCTUATION.sub(" ", folded)
    return " ".join(folded.split())


def blank_links(text: str) -> str:
    """Blank out links and URLs, keeping every other character where it was."""
    return _LINK.sub(_blank, text) if "[" in text or "://" in text else text  # [[wikilinks]] too


def _blank(match: re.Match[str]) -> str:
    return "\0" * len(match.group())


def split_sentences(text: str) -> list[str]:
    """Split text at its sentence ends, none inside code, math or a link: "$a . b$"."""
    masked = mask(text, asides=False)
    pieces = []
    start = 0
    for end in SENTENCE_END.finditer(masked):
        pieces.append(text[start : end.start()])
        start = end.end()
    pieces.append(text[start:])
    return pieces


@lru_cache(maxsize=8192)
def mask(text: str, asides: bool = True) -> str:
    """Blank out code spans, math, links and (with ``asides``) asides, keeping offsets."""
    # Each pattern needs a character most lines lack; look for that first.
    masked = _CODE_SPAN.sub(_blank, text) if "`" in text else text
    masked = _MATH.sub(_blank, masked) if "$" in masked else masked
    masked = blank_links(masked)
    if not asides or "(" not in masked:
        return masked
    out = []
    depth = 0
    for char in masked:
        if char == "(":
            depth += 1
        if depth:
            out.append("\0")
        else:
            out.append(char)
        if char == ")" and depth:
            depth -= 1
    return "".join(out)


# Bullets typed as characters, and the marks notes put before a line: "•", "→", "✅", "⚠️".
_LEAD_BULLETS = frozenset("\u2022\u2023\u2043\u25e6\u25aa\u25ab\u00b7")  # bullets, dots, squares
_GLYPH_JOINERS = frozenset("\ufe0f\ufe0e\u200d")


def _is_lead_glyph(char: str) -> bool:
    """Tell whether a character is a bullet, a pictograph, an arrow or part of an emoji."""
    if char.isascii():
        return False  # "<", "=", "+" and "~" before a figure say something
    if char in _LEAD_BULLETS or char in _GLYPH_JOINERS:
        return True
    category = unicodedata.category(char)
    # Arrows are mathematical symbols; "≤" and "≈" are too, and they mean something.
    arrow = (
        "\u2190" <= char <= "\u21ff" or "\u27f0" <= char <= "\u27ff" or "\u2900" <= char <= "\u297f"
    )
    skin_tone = "\U0001f3fb" <= char <= "\U0001f3ff"
    return category == "So" or (category == "Sm" and arrow) or skin_tone


def strip_lead_glyphs(text: str) -> str:
    """Drop the bullets and marks that open a line ("• ", "→ ", "✅ "): they are no words."""
    position = 0
    while position < len(text) and _is_lead_glyph(text[position]):
        position += 1
    # Only a mark set apart by a space: "→x" or "€5" are words.
    if position and text[position : position + 1].isspace():
        return text[position:].lstrip()
    return text


# A term that only labels a field of its section ("Pricing: $5 per TB", "Use case: ...") names
# nothing to recall without the section: hiding it would ask for a heading, and as a front it
# names its section. (Remarks' labels, "Note:", "Example:", never become terms at all.)
_FIELD_LABEL_TEXT = (
    "price prices pricing cost costs examples purpose feature features benefit benefits advantage"
    " advantages disadvantage disadvantages pros cons summary limits limitations definition"
    " description overview usage idea goal preis kosten zweck vorteil vorteile nachteil nachteile"
    " beschreibung überblick idee ziel precio costo coste propósito ventaja ventajas desventaja"
    " desventajas definición descripción objetivo prix coût avantage avantages inconvénient"
    " inconvénients définition idée objectif"
)
_FIELD_LABELS = frozenset(_FIELD_LABEL_TEXT.split()) | {"use case", "use cases", "caso de uso"}


# "Option 1", "Variante 2": a number for one of several choices, in no order that means anything.
_NUMBERED_CHOICE = re.compile(
    r"(?:option|choice|alternative|approach|method|way|variant|möglichkeit|variante|methode"
    r"|opción|alternativa|método|choix|méthode)\s*#?\d{1,2}",
    re.IGNORECASE,
)


def is_field_label(text: str) -> bool:
    """Tell whether a term only labels a field of its section: "Pricing", "Use cases"."""
    folded = normalize(text)
    if folded in _FIELD_LABELS:
        return True
    return folded[-1:].isdigit() and _NUMBERED_CHOICE.fullmatch(folded) is not None
