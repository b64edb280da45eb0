"""Tell lines that point elsewhere from facts: links, reading lists, pictures, placeholders."""

from __future__ import annotations

import re

from notes2anki.pairs import split_last_pair, split_pair
from notes2anki.text import SENTENCE_END

URL = re.compile(r"^\S+://\S+$")


# A line that is a link and nothing else: "[A word on scalability](http://…)", a bare URL,
# "[[Wiki page]]", maybe in bold or after a bullet glyph, maybe after a short label ("Read
# more: https://…", "Mehr dazu: …", "… pricing here: …"): a link is somewhere to read, not an
# answer to recall.
_REFERENCE = re.compile(
    r"^(?:(?:read\s+more|more|see(?:\s+also)?|docs?|documentation|sources?|links?|references?"
    r"|further\s+reading|mehr(?:\s+dazu)?|siehe(?:\s+auch)?|quellen?|dokumentation"
    r"|m[aá]s(?:\s+informaci[oó]n)?|ver(?:\s+tambi[eé]n)?|fuentes?|documentaci[oó]n"
    r"|voir(?:\s+aussi)?|en\s+savoir\s+plus"
    # "You can find the pricing here: https://…"
    r"|[^:.!?\n]{0,80}\b(?:here|hier|aqu[ií]|ici))(?:\s+here|\s+hier|\s+aqu[ií])?\s*:\s*)?"
    r"[*_]*(?:!?\[[^\]]*\]\([^)]*\)|\[\[[^\]]+\]\]|<?[a-z][a-z0-9+.-]*://\S+?>?)[*_]*[.:]?$",
    re.IGNORECASE,
)


# What the notes have yet to say: "TODO", "TBD", "FIXME", "WIP", "…", "?".
_PLACEHOLDER_TEXT = r"(?:(?i:todo|to\s+be\s+done|tbd|tba|fixme|wip)[.!:]?|\?+|\.{3,}|\u2026)"


_PLACEHOLDER = re.compile(_PLACEHOLDER_TEXT)


_PLACEHOLDER_ENDINGS = ("todo", "done", "tbd", "tba", "fixme", "wip")


_PLACEHOLDER_END = re.compile(rf"(?<![\w.]){_PLACEHOLDER_TEXT}$")


# A bare address may be an answer ("s3://bucket/key", a callback URL to configure).
_BARE_ADDRESS = re.compile(r"^[*_]*<?[a-z][a-z0-9+.-]*://\S+?>?[*_]*[.:]?$", re.IGNORECASE)


# The name of a list of links: the list under it is somewhere to read.
_READING_LIST = re.compile(
    r"^[*_#\s]*(?:references?|sources?|links?|resources|further\s+reading|see\s+also|read\s+more"
    r"|useful\s+links|quellen|weiterf[uü]hrende\s+links|referencias|fuentes|enlaces"
    r"|r[eé]f[eé]rences|liens)[*_\s]*:?[*_\s]*$",
    re.IGNORECASE,
)


def is_reference(text: str) -> bool:
    """Tell whether a line is only a link: a reading list's entry, never a fact or question."""
    # Every link has a bracket or an address: most lines have neither.
    return ("[" in text or "://" in text) and bool(_REFERENCE.match(text.strip()))


def unwritten(text: str) -> bool:
    """Tell whether a line, or what it says of its term, is a placeholder: "TODO", "…"."""
    stripped = text.strip(" *_")
    # Most lines end in no placeholder: a look at their last characters tells.
    tail = stripped[-12:].casefold().rstrip(".!:")
    if not tail.endswith(_PLACEHOLDER_ENDINGS) and not stripped.endswith(("?", "...", "\u2026")):
        return False
    if _PLACEHOLDER.fullmatch(stripped):
        return True
    if _PLACEHOLDER_END.search(stripped) is None:
        return False
    # "**Term** TODO" splits at its bold; "A: die zwei Seiten: TODO" at its last separator.
    return any(
        pair is not None and _PLACEHOLDER.fullmatch(pair.right.strip(" *_")) is not None
        for pair in (split_pair(text), split_last_pair(text))
    )


def points_away(text: str) -> bool:
    """Tell whether a line is a link to read elsewhere: named, labelled, not a bare address."""
    return is_reference(text) and not _BARE_ADDRESS.match(text.strip())


def heads_reading_list(text: str) -> bool:
    """Tell whether a line only names a reading list: "References", "**Sources:**"."""
    return bool(_READING_LIST.match(text.strip()))


# What a picture or a table of the page shows: "The following table highlights ...", "This
# flow chart ...", "Here is an example of ...", "Die folgende Abbildung ...", "La siguiente
# tabla ...". Such a sentence speaks of the page, not of the subject.
_FIGURE = (
    r"(?:images?|pictures?|figures?|diagrams?|(?:flow\s?)?charts?|tables?|screenshots?|graphics?"
    r"|illustrations?|abbildung(?:en)?|tabellen?|grafik(?:en)?|bild(?:er)?|diagramm(?:e)?"
    r"|imagen(?:es)?|tablas?|figuras?|diagramas?|gr[aá]ficos?|capturas?|sch[eé]mas?|tableaux?)"
)


_POINTER = re.compile(
    r"^(?:(?:the|this|these|that)\s+(?:following|above|below)\s+"
    + _FIGURE
    + r"|(?:this|these|that)\s+"
    + _FIGURE
    + r"|the\s+above\s+\w+|here\s+(?:is|are)\s+(?:an?\s+)?(?:examples?\b|"
    + _FIGURE
    + r")"
    + r"|(?:die|das|der|den)\s+(?:folgenden?|obigen?)\s+"
    + _FIGURE
    + r"|(?:diese[rsn]?)\s+"
    + _FIGURE
    + r"|(?:la|el|las|los)\s+siguientes?\s+"
    + _FIGURE
    + r"|(?:esta|este|estas|estos)\s+"
    + _FIGURE
    + r"|(?:la|le|les|ce|cette)\s+"
    + _FIGURE
    + r"\s+(?:suivante?s?|ci-dessous|ci-dessus)"
    + r")\b",
    re.IGNORECASE,
)


# "This means that ...", "Das bedeutet ...", "Esto permite ...": "this" standing for the line
# before, not for a thing ("That script is run once" speaks of the section's script).
_BACK = re.compile(
    r"^(?:this|that|dies|das|esto|eso|ceci|cela)\s+(?:means|meant|allows|makes|lets|helps"
    r"|ensures|gives|results|leads|explains|implies|happens|is\s+why|is\s+because|way"
    r"|bedeutet|hei(?:ß|ss)t|erm(?:ö|oe)glicht|sorgt|significa|permite|hace|signifie|permet)\b",
    re.IGNORECASE,
)


def points_back(text: str) -> bool:
    """Tell whether a line opens by pointing back at the line before it."""
    return bool(_BACK.match(text.strip(" *_")))


# "For example, if you are on a phone call ...": a sentence that illustrates the one before it.
_EXAMPLE = re.compile(
    r"^(?:for\s+(?:example|instance)|e\.\s?g\.|zum\s+beispiel|beispielsweise|z\.\s?b\."
    r"|por\s+ejemplo|p\.\s?ej\.|par\s+exemple|per\s+esempio)(?=[\s,:])",
    re.IGNORECASE,
)


def illustrates(text: str) -> bool:
    """Tell whether a line opens as an example of what comes before it."""
    return bool(_EXAMPLE.match(text.strip(" *_")))


def points_at_page(text: str) -> bool:
    """Tell whether a one-sentence line only points at a picture or table of the page."""
    return bool(_POINTER.match(text.strip(" *_-"))) and not SENTENCE_END.search(text.strip())
