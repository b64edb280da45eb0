"""Read what is not a list as items: a paragraph's sentences, a heading's own definition, tables."""

from __future__ import annotations

import re

from notes2anki.model import Item, Loc, Table
from notes2anki.reading.parse import Block, Node
from notes2anki.reading.questions import answered
from notes2anki.spans import figures
from notes2anki.text import split_sentences, strip_lead_glyphs, words

# A pseudo-heading is a short line, not a sentence: "EC2 Instance Launch Types:", "EBS v EFS".
MAX_TITLE_WORDS = 10
MAX_TITLE_CHARS = 80


_INLINE_MARKS = re.compile(r"[*_`]+|\[([^\]]*)\]\([^)]*\)|<[^>]*>")


def plain(text: str) -> str:
    """Strip inline Markdown marks from a title and fold its spacing."""
    return " ".join(_INLINE_MARKS.sub(lambda m: m.group(1) or "", text).split())


def is_title(line: str) -> bool:
    """Tell whether a line can stand as a pseudo-heading: short, and not a finished sentence."""
    stripped = line.strip()
    return (
        0 < len(stripped.split()) <= MAX_TITLE_WORDS
        and len(stripped) <= MAX_TITLE_CHARS
        and not stripped.endswith((".", ",", ";"))
    )


# A heading's first paragraph this short is its definition; a longer one is explanation.
MAX_DEFINITION_CHARS = 300


MAX_DEFINITION_SENTENCES = 2


# A paragraph shorter than this is a caption or a remark, not a statement worth a card.
MIN_PROSE_WORDS = 6


_SENTENCE_DONE = re.compile(r"[.!?\u3002\uff01\uff1f][)\]\"'*_]*$")


_WORD = re.compile(r"\w+")


# A title that spells out an abbreviation and says what it is, in a few words.
_SPELLED_OUT = re.compile(
    r"(?P<name>[^():]+?)\s*\((?P<short>[A-Za-z0-9+./-]{2,10})\)\s*:\s*(?P<meaning>\S.*)"
)


MAX_MEANING_WORDS = 6


# The verbs that make a line a statement in the languages notes are written in: "is", "wird".
_AUXILIARY_TEXT = (
    "is are was were can cannot could will would must should may might shall has have had does"
    " ist sind war waren wird werden wurde wurden kann können muss müssen hat haben es son está"
    " están fue puede"
    " pueden debe tiene tienen est sont peut peuvent doit ont"
)


_AUXILIARIES = frozenset(_AUXILIARY_TEXT.split())


# A line ending on one of these breaks off before what follows: "It can be triggered by".
_BREAK_TEXT = (
    "by with to for of the a an in on as like include includes including such von mit für durch"
    " wie zum zur der die das den de con por para como les des"
)


_BREAKS = frozenset(_BREAK_TEXT.split())


# A line opening with one of these points at what follows: "These are the ones I use."
_POINTER_TEXT = "these here following folgende hier diese estos estas aquí voici ces"


_POINTERS = frozenset(_POINTER_TEXT.split())


_BOLD = re.compile(r"\*\*[^*\s][^*]*\*\*|__[^_\s][^_]*__")


def table_of(node: Node, loc: Loc) -> Table:
    """Read a GFM table's header and body cells as inline Markdown, and where each row is."""
    rows = [row for part in node.children for row in part.children]
    cells = [
        tuple(
            " ".join(cell.children[0].content.split()) if cell.children else ""
            for cell in row.children
        )
        for row in rows
    ]
    # A row's line counts from the header's, as markdown-it maps them within the table.
    assert node.map is not None
    row_locs = tuple(
        Loc(loc.path, loc.line + row.map[0] - node.map[0]) if row.map else loc for row in rows[1:]
    )
    return Table(cells[0] if cells else (), tuple(cells[1:]), loc, row_locs)


def table_rows(node: Node, block: Block) -> list[tuple[str, int]]:
    """Return a paragraph's lines, each with its 1-based line in the notes file."""
    assert node.map is not None
    first = block.offset + node.map[0] + 1
    return [(row, first + i) for i, row in enumerate(node.children[0].content.split("\n"))]


def sentences_of(node: Node, block: Block) -> list[tuple[str, int]]:
    """Split a paragraph into its sentences, each with the line it starts on."""
    found: list[tuple[str, int]] = []
    sentence: list[str] = []
    start = 0
    for row, line in table_rows(node, block):
        bare = strip_lead_glyphs(row)
        if bare != row and sentence:
            # "• …" on a line of its own, as pasted from a slide, opens a point of its own.
            found.append((" ".join(" ".join(sentence).split()), start))
            sentence.clear()
        pieces = split_sentences(bare)
        for number, piece in enumerate(pieces):
            if not sentence:
                start = line
            sentence.append(piece)
            # Every piece but a row's last ends a sentence; the last may go on the next row.
            if number < len(pieces) - 1 or _SENTENCE_DONE.search(piece):
                found.append((" ".join(" ".join(sentence).split()), start))
                sentence.clear()
    if sentence:
        found.append((" ".join(" ".join(sentence).split()), start))
    return found


def marked_sentences(node: Node, block: Block, path: str) -> list[Item]:
    """Read the sentences of a prose paragraph that set a key word in bold, one fact each."""
    # Prose is mostly explanation; a sentence whose author set a word in bold states a fact
    # about it ("**Latency** is the time to perform some action.").
    return [
        Item(text, Loc(path, line), prose=True)
        for text, line in sentences_of(node, block)
        if _BOLD.search(text)
    ]


def definition_items(title: str, node: Node, block: Block, path: str) -> list[Item]:
    """Read a short paragraph right under a heading as the heading's definition."""
    assert node.map is not None
    text = " ".join(node.children[0].content.split())
    sentences = len(split_sentences(text))
    if (
        not title
        or text.endswith(":")
        or text.startswith("!")  # a picture, perhaps with a caption: no definition in words
        or len(title.split()) > MAX_TITLE_WORDS
        or len(text) > MAX_DEFINITION_CHARS
        or sentences > MAX_DEFINITION_SENTENCES
    ):
        return []
    loc = Loc(path, block.offset + node.map[0] + 1)
    return [Item(f"{title}: {text}", loc, term=title, prose=True)]


def spelled_out(title: str) -> tuple[str, str] | None:
    """Split a title that names a term, its abbreviation and what it is: "Name (ABBR): gloss"."""
    found = _SPELLED_OUT.fullmatch(title)
    if found is None:
        return None
    name, short, meaning = found.group("name", "short", "meaning")
    # The abbreviation's capitals are its name's initials: "Independent Basic Service Set (IBSS)".
    initials = "".join(word[0] for word in re.split(r"[\s-]+", name) if word).upper()
    letters = "".join(char for char in short if char.isupper())
    if letters != initials or len(meaning.split()) > MAX_MEANING_WORDS:
        return None
    return f"{name} ({short})", meaning


def asks_and_answers(node: Node) -> bool:
    """Tell whether a paragraph opens with a question and the answer on the line after it."""
    # "Q: What does SQS stand for?" over "A: Simple Queue Service" is one fact, not a title.
    rows = node.children[0].content.split("\n", 2)
    return len(rows) > 1 and answered(rows[0].strip(), rows[1].strip()) is not None


def states(node: Node) -> bool:
    """Tell whether a one-line paragraph states something, rather than leads what follows."""
    text = node.children[0].content
    tokens = _WORD.findall(text.lower())
    # A lead ends in a colon, or breaks off ("The main parts are"); a label has no verb.
    return (
        "\n" not in text
        and not text.rstrip().endswith(":")
        and len(tokens) > 2
        and tokens[-1] not in _AUXILIARIES
        and tokens[-1] not in _BREAKS
        and tokens[0] not in _POINTERS
        and any(token in _AUXILIARIES for token in tokens)
    )


def measures(node: Node) -> bool:
    """Tell whether a one-line sentence over a list gives a figure: "… speeds above 10Gbps."."""
    text = node.children[0].content
    return "\n" not in text and bool(_SENTENCE_DONE.search(text)) and bool(figures(text))


def prose_items(node: Node, block: Block, path: str) -> list[Item]:
    """Read a paragraph's sentences as facts, each asked by a cloze of its key phrase."""
    text = " ".join(node.children[0].content.split())
    # A line that ends in a colon leads what follows; one without a stop is a caption or a
    # label, not a statement.
    if not _SENTENCE_DONE.search(text) or words(text) < MIN_PROSE_WORDS:
        return []
    return sentence_facts(sentences_of(node, block), path)


def led_prose(node: Node, block: Block, path: str) -> list[Item]:
    """Read the sentences of a lead paragraph before the one that leads, as facts."""
    return sentence_facts(sentences_of(node, block)[:-1], path)


def sentence_facts(
    sentences: list[tuple[str, int]], path: str, least: int = MIN_PROSE_WORDS
) -> list[Item]:
    """Make each sentence long enough to state something a fact of prose."""
    return [
        Item(sentence, Loc(path, line), prose=True)
        for sentence, line in sentences
        if words(sentence) >= least
    ]


def lead_line(node: Node, block: Block, path: str) -> Item | None:
    """Read a one-line paragraph as the lead of a block that may follow it."""
    if node.type != "paragraph" or node.map is None:
        return None
    rows = node.children[0].content.split("\n")
    if len(rows) != 1 or not rows[0].strip() or _SENTENCE_DONE.search(rows[0]):
        return None
    # "The kubelet connects through a socket. Default endpoints:": the last sentence leads.
    last = split_sentences(rows[0])[-1]
    return Item(" ".join(last.split()), Loc(path, block.offset + node.map[0] + 1))
