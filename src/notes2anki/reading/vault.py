"""Read what vault apps write around Markdown: front matter, tags, comments, embeds, properties."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from notes2anki.frozen import frozen

# What a vault app adds to Markdown shows by one of these, or by a tag; a file holding none is
# read as it is.
_MARKERS = ("%%", "::", "![[", "((")
# "#tag", "#nested/tag", "#área": letters, digits, "_", "-", "/", and one character that is no
# digit ("#1" is a number, "# of partitions" a word). It opens a line or follows a space, and
# the tags of a line end it: "#include <stdio.h>" and "learn #python here" are words of the line.
_TAG_TEXT = r"#(?=[\w/-]*[^\W\d])[\w/-]++"
_TAG = re.compile(rf"(?<!\S){_TAG_TEXT}")
_TAG_START = re.compile(_TAG_TEXT)
_TRAILING_TAGS = re.compile(rf"(?:^|[ \t]+)((?<!\S){_TAG_TEXT}(?:[ \t]+{_TAG_TEXT})*)[ \t]*$")
_HEADING = re.compile(r"[ \t]{0,3}#{1,6}(?:[ \t]|$)")
_FENCE = re.compile(r"[ \t]*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
# "title:: Networking", "id:: 64a1…": a Logseq (or Dataview) property, alone on its line.
_PROPERTY = re.compile(r"[ \t]*([\w-]+)::(?:[ \t]+(.*))?$")
# "![[diagram.png]]", "![[diagram.png|400]]", "![[Other note#Heading]]".
_EMBED = re.compile(r"!\[\[([^\[\]|\n]+)(?:\|([^\[\]\n]*))?\]\]")
# "((64a1b2c3-…))": a Logseq reference to a block, by the id its properties give it.
_BLOCK_REF = re.compile(r"\(\(([0-9a-fA-F-]{36})\)\)")
# A picture's size after its name: "400" (wide) or "400x300".
_SIZE = re.compile(r"\d{1,5}(?:x\d{1,5})?")
_FRONT_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_FRONT_KEY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$")
_FRONT_ENTRY = re.compile(r"[ \t]+-[ \t]*(.*?)[ \t]*$")
IMAGE_SUFFIXES = frozenset(
    {".apng", ".avif", ".bmp", ".gif", ".ico", ".jpeg", ".jpg", ".png", ".svg", ".tif", ".tiff"}
    | {".webp"}
)
AUDIO_SUFFIXES = frozenset({".mp3", ".ogg", ".oga", ".wav", ".m4a", ".flac"})
# What a line of tags alone is, once its tags are taken out.
_BLANK = re.compile(r"[ \t]*(?:[-*+][ \t]*)?$")


@frozen
class Prepared:
    """A notes file as Markdown alone, and what the vault app's marks said about it."""

    text: str  # as many lines as the file: every place keeps its line number
    deck: str | None = None  # the file's front matter "deck:"
    tags: tuple[str, ...] = ()  # the file's tags: front matter, page properties, lines of tags
    line_tags: tuple[tuple[int, tuple[str, ...]], ...] = ()  # (line, tags) of an item's line
    embeds: tuple[tuple[int, str], ...] = ()  # (line, note) of each note embedded here


def prepare(
    text: str, obsidian: bool = False, blocks: tuple[tuple[str, str], ...] = ()
) -> Prepared:
    """Take out what a vault app adds to Markdown, keeping every line where it is."""
    # "%%" is Obsidian's comment; elsewhere it may be text ("Deklarationen %% Grammatik", a
    # grammar file's sections).
    if not any(marker in text for marker in _MARKERS) and not _tagged(text):
        return Prepared(text)
    deck, front_tags, body_start = _front_matter(text)
    lines = text.split("\n")
    # A block referred to by its id ("((6571d2a0-…))") is in this page or another of the graph.
    ids = {**dict(blocks), **block_ids(text)} if "((" in text else {}
    gathered = _Gathered(list(front_tags))
    fence: str | None = None
    commented = False  # inside a "%%" comment that opened on a line above
    for index in range(body_start, len(lines)):
        line = lines[index]
        if commented or (obsidian and fence is None and "%%" in line):
            line, commented = _uncommented(line, commented)
            lines[index] = line
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        lines[index] = _read_line(line, index, gathered, ids)
    return Prepared(
        "\n".join(lines),
        deck,
        tuple(dict.fromkeys(tag for tag in gathered.file_tags if tag)),
        tuple(gathered.line_tags),
        tuple(gathered.embeds),
    )


@dataclass
class _Gathered:
    """What a file's lines tell of it as they are read: its tags, its lines' tags, its embeds."""

    file_tags: list[str]
    line_tags: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)
    embeds: list[tuple[int, str]] = field(default_factory=list)


def _read_line(line: str, index: int, gathered: _Gathered, ids: dict[str, str]) -> str:
    """Take a line's properties, tags, embeds and block references out; return what is left."""
    if "::" in line:
        found = _PROPERTY.match(line)
        if found is not None:
            if found.group(1).casefold() == "tags" and found.group(2):
                gathered.file_tags += _listed(found.group(2))
            return ""
    if "#" in line and not _HEADING.match(line):
        line, tags = _take_tags(line)
        if tags:
            if _BLANK.fullmatch(line):
                gathered.file_tags += tags  # a line of tags alone tags the whole file
                line = ""
            else:
                gathered.line_tags.append((index + 1, tuple(tags)))
    if "![[" in line:
        # "![[Other note]]" shows that note's text in Obsidian; here, only its name.
        gathered.embeds += [
            (index + 1, found.group(1).strip())
            for found in _EMBED.finditer(line)
            if not _media(found.group(1))
        ]
        line = _EMBED.sub(_embedded, line)
    if "((" in line:
        # A block that is nowhere to be found shows nothing rather than its id.
        line = _BLOCK_REF.sub(lambda ref: ids.get(ref.group(1).lower(), ""), line)
    return line


def _tagged(text: str) -> bool:
    """Tell whether a text may hold a tag: a "#" before a word, opening a line or after a space."""
    # Found by the "#" first: a search that tries the space before it at every place is slower
    # than reading the file.
    return any(
        not found.start() or text[found.start() - 1].isspace()
        for found in _TAG_START.finditer(text)
    )


def _front_matter(text: str) -> tuple[str | None, list[str], int]:
    """Read "deck:" and "tags:" from YAML front matter; return them and the body's first line."""
    if not text.startswith("---\n"):
        return None, [], 0
    end = _FRONT_END.search(text, 4)
    if end is None:
        return None, [], 0
    rows = text[4 : end.start()].split("\n")
    deck: str | None = None
    tags: list[str] = []
    key = ""
    for row in rows:
        entry = _FRONT_ENTRY.match(row)
        if entry is not None:
            if key in ("tags", "tag"):
                tags += _listed(entry.group(1))
            continue
        found = _FRONT_KEY.match(row)
        if found is None:
            key = ""
            continue
        key, value = found.group(1).casefold(), _unquoted(found.group(2) or "")
        if key in ("tags", "tag") and value:
            tags += _listed(value)
        elif key == "deck" and value:
            deck = value
    return deck, tags, text.count("\n", 0, end.end()) + 1


def _listed(value: str) -> list[str]:
    """Split a YAML list or a string of tags: "[a, b]", "a, b", "a b", "#a"."""
    value = value.strip().removeprefix("[").removesuffix("]")
    return [
        _unquoted(part).lstrip("#")
        for part in re.split(r"[,\s]+", value)
        if _unquoted(part).lstrip("#")
    ]


def _unquoted(value: str) -> str:
    value = value.strip()
    if len(value) > 1 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip()
    return value


def _take_tags(line: str) -> tuple[str, list[str]]:
    """Take the tags that end a line of notes out of it; code keeps what looks like one."""
    found = _TRAILING_TAGS.search(line)
    if found is None or _in_code(line, found.start(1)):
        return line, []
    return line[: found.start()], [tag.lstrip("#") for tag in _TAG.findall(found.group(1))]


def _in_code(line: str, position: int) -> bool:
    """Tell whether a place of a line is inside a code span."""
    return any(span.start() < position < span.end() for span in _CODE_SPAN.finditer(line))


def _uncommented(line: str, commented: bool) -> tuple[str, bool]:
    """Take "%%comments%%" out of a line; tell whether one still runs on past its end."""
    parts = line.split("%%")
    kept: list[str] = []
    for index, part in enumerate(parts):
        if not commented:
            kept.append(part)
        if index < len(parts) - 1:
            commented = not commented
    return "".join(kept).rstrip() if len(parts) > 1 else ("" if commented else line), commented


def _embedded(match: re.Match[str]) -> str:
    """Write an Obsidian embed as Markdown: a picture or a sound as an image, a note as a link."""
    target = match.group(1).strip()
    size = (match.group(2) or "").strip()
    if _media(target):
        # "|400" or "|400x300" sizes a picture: Obsidian reads the same after a Markdown
        # image's words, and so does the bundling of pictures.
        shown = PurePosixPath(target).name + (f"|{size}" if _SIZE.fullmatch(size) else "")
        return f"![{shown}](<{target}>)"
    return f"[[{target}|{size}]]" if size else f"[[{target}]]"


def _media(target: str) -> bool:
    """Tell whether an embed names a picture or a sound, not a note."""
    suffix = PurePosixPath(target.split("#")[0].strip()).suffix.lower()
    return suffix in IMAGE_SUFFIXES or suffix in AUDIO_SUFFIXES


def block_ids(text: str) -> dict[str, str]:
    """Map each block id of a page ("id:: 64a1…") to its block's first line of text."""
    ids: dict[str, str] = {}
    if "id::" not in text:
        return ids
    lines = text.split("\n")
    for index, line in enumerate(lines):
        found = _PROPERTY.match(line) if "::" in line else None
        if found is None or found.group(1).casefold() != "id" or not found.group(2) or not index:
            continue
        block = lines[index - 1].strip().lstrip("-*+ ").strip()
        ids[found.group(2).strip().lower()] = block
    return ids
