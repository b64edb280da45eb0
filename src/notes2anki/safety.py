"""Make what a deck carries safe as Anki will store it: sanitized after Unicode normalization.

Anki normalizes note text to NFC on import. Sanitizing before that is not enough: ``>`` followed
by U+0338 composes into ``≯`` and the tag it closed swallows the text after it, attributes and
all. The notes are read in NFC (``sources``); each field is then sanitized (nh3, used only here)
and made stable under NFC: a combining mark that follows markup is written as a character
reference, which no normalization touches. What Anki stores is exactly what was sanitized.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from html import escape, unescape
from urllib.parse import quote

import nh3

_URL_SCHEMES = {"http", "https", "mailto"}
# Raw HTML in notes: nh3's defaults (no class, no style), web and mail links only. A cleaner made
# once is three times quicker than nh3.clean, which converts its settings on every call.
_NOTES_HTML = nh3.Cleaner(url_schemes=_URL_SCHEMES, link_rel=None)
# A whole field also holds the markup of the field templates and of highlighted code, which
# style by class.
# The Source field's link back to a note of an Obsidian vault is one too (never one of the notes':
# their HTML passes the notes' policy first), and only one that opens a note (see _OPENS_NOTE).
_FIELD_HTML = nh3.Cleaner(
    attributes={**nh3.ALLOWED_ATTRIBUTES, "*": {"class"}},
    url_schemes=_URL_SCHEMES | {"obsidian"},
    link_rel=None,
)
_OPENS_NOTE = "obsidian://open?"
# Text without these characters comes out of nh3 as it went in (lone surrogates are replaced).
_PARSED = re.compile(r"[<>&\x00-\x08\x0b-\x1f\x7f\xa0\ufeff\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Control characters Anki would misread (U+001F separates a note's fields in its database), and
# the byte order mark, which an HTML parser drops at the start of a text but nowhere else.
# Deleted by str.translate where str.isprintable, far quicker than a regex, finds any such one.
_NO_CONTROL = dict.fromkeys([*range(0x09), *range(0x0B, 0x20), 0x7F, 0xFEFF])
# A run of characters after markup that a normalization could join to it or reorder: combining
# marks, and characters this Python does not know yet (a later Unicode may make them marks).
_AFTER_MARKUP = re.compile(r"(?<=[<=>])[^\x00-\u02ff]+")
_TAG = re.compile(r"<[^>]*>")
# A browser drops tabs and line breaks anywhere in a URL, and spaces around it: nh3 reads
# "java\tscript:" as a path. Such a URL attribute is judged as the browser will read it.
_URL_ATTRIBUTE = re.compile(r'\s(?:href|src|cite)="([^"]*)"')
# Substrings that call for that look at each tag (searched one by one: far quicker than a regex).
_TAG_WORK = ("::", "{{", "}}", 'href="', 'src="', 'cite="')
_URL_BLANKS = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# Anki reads "{{c1::", "::" and "}}" in the raw text of a cloze field, tags included; inside a
# tag they would cut an attribute open. There, one of each pair is written as a reference.
_DOUBLED = re.compile(r"([{}:])(?=\1)")
_CODE = re.compile(r"(<(code|pre)\b[^>]*>.*?</\2>)", re.DOTALL)
_FORMULA = re.compile(r"\\\(.*?\\\)|\\\[.*?\\\]", re.DOTALL)
# MathJax, as Anki configures it, makes links (\href, javascript: ones too), loads extensions
# (\require) and sets styles, classes and ids. Anki strips tags inside a formula and shows the
# text of other cloze gaps there, so both are looked through.
_RISKY_TEX = re.compile(r"\\\s*(?:href|require|style|class|cssId)(?![A-Za-z])")
_LOOKED_THROUGH = re.compile(r"<[^>]*>|\{\{c\d+::|::|\}\}")


def sanitize(html: str) -> str:
    """Keep harmless formatting of raw HTML from notes; drop scripts, handlers, unsafe URLs."""
    return _NOTES_HTML.clean(html)


@lru_cache(maxsize=8192)
def safe_field(html: str) -> str:
    """Return field HTML as Anki should store it: sanitized and stable under NFC."""
    # Many fields repeat (a section's breadcrumb, a file's name, an empty extra): cached. Most
    # are plain words, which only need to be stable under NFC.
    if "\\" not in html and not _PARSED.search(html):
        return html if html.isascii() else nfc_stable(html)
    return sanitize_field(html)


def sanitize_field(html: str) -> str:
    """Sanitize field HTML and make it stable under NFC, uncached."""
    # Marks after markup become references first: normalizing must not join them to it.
    html = nfc_stable(_without_surrogates(html))
    # Text without those characters comes out of nh3 as it went in (a test holds it to that).
    if _PARSED.search(html):
        html = clean_field(html if html.isprintable() else html.translate(_NO_CONTROL))
    if "\\" in html:
        quoted = _quote_risky_formulas(html)
        # Code put around a formula may cut through its tags: nh3 mends them again.
        html = html if quoted == html else clean_field(quoted)
    if "<" in html and any(work in html for work in _TAG_WORK):
        html = _TAG.sub(_quiet_tag, html)
    return nfc_stable(html)


@lru_cache(maxsize=1024)
def text_field(text: str) -> str:
    """Return plain text (a file's path, a deck's description) as safe field HTML."""
    return safe_field(escape(text, quote=False))


@lru_cache(maxsize=1024)
def obsidian_link(vault: str, path: str, shown: str) -> str:
    """Return a link that opens a note of an Obsidian vault, showing the note's path."""
    # Every part is percent-encoded: no name can close the attribute or add a query of its own.
    note = path.removesuffix(".md")
    href = f"obsidian://open?vault={quote(vault, safe='')}&amp;file={quote(note, safe='')}"
    return f'<a href="{href}">{text_field(shown)}</a>'


def clean_field(html: str) -> str:
    """Run the field policy of nh3 alone: what sanitize_field relies on it for."""
    return _FIELD_HTML.clean(html)


def safe_name(name: str) -> str:
    """Return a deck name or tag as Anki will keep it: NFC, without control characters."""
    if name.isascii() and name.isprintable():
        return name
    return unicodedata.normalize("NFC", _without_surrogates(name).translate(_NO_CONTROL))


def nfc_stable(html: str) -> str:
    """Write marks that would join markup under NFC as references; return the result in NFC."""
    if html.isascii():
        return html
    return unicodedata.normalize("NFC", _AFTER_MARKUP.sub(_marks_as_references, html))


def _without_surrogates(text: str) -> str:
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def _marks_as_references(match: re.Match[str]) -> str:
    run = match.group()
    joining = 0
    while joining < len(run) and _may_join(run[joining]):
        joining += 1
    return "".join(f"&#x{ord(mark):X};" for mark in run[:joining]) + run[joining:]


def _may_join(char: str) -> bool:
    return unicodedata.combining(char) != 0 or unicodedata.category(char) == "Cn"


def _quiet_tag(match: re.Match[str]) -> str:
    tag = _URL_ATTRIBUTE.sub(_known_scheme_only, match.group())
    return _DOUBLED.sub(_reference, tag)


def _known_scheme_only(match: re.Match[str]) -> str:
    url = _URL_BLANKS.sub("", unescape(match.group(1))).strip()
    scheme = _SCHEME.match(url)
    if scheme is None or scheme.group(1).lower() in _URL_SCHEMES or url.startswith(_OPENS_NOTE):
        return match.group()
    return ""


def _reference(match: re.Match[str]) -> str:
    return f"&#{ord(match.group(1))};"


def _quote_risky_formulas(html: str) -> str:
    """Show a formula that could link, load or style as its source in code, never typeset."""
    parts = _CODE.split(html)
    # The split keeps each code element and its tag name: parts go text, element, name, ...
    for index in range(0, len(parts), 3):
        parts[index] = _FORMULA.sub(_quoted_if_risky, parts[index])
    return "".join(part for index, part in enumerate(parts) if index % 3 != 2)


def _quoted_if_risky(match: re.Match[str]) -> str:
    formula = match.group()
    if _RISKY_TEX.search(_LOOKED_THROUGH.sub("", formula)):
        return f"<code>{formula}</code>"
    return formula
