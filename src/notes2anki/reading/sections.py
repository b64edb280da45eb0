"""Build the section tree of a notes file: headings, pseudo-headings and the items under them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

from notes2anki.model import Attachment, Document, Item, Loc, Section, SourceFile, Table
from notes2anki.reading.items import items_of_lines, items_of_list
from notes2anki.reading.parse import (
    Block,
    Node,
    attachment_of,
    indent_of,
    is_skip_directive,
    parse_markdown,
    quoted_block,
    recover_prose,
)
from notes2anki.reading.questions import answered
from notes2anki.reading.vault import prepare
from notes2anki.text import MIN_FACT_WORDS, figures, split_sentences, strip_lead_glyphs, words

# A pseudo-heading is a short line, not a sentence: "EC2 Instance Launch Types:", "EBS v EFS".
MAX_TITLE_WORDS = 10
MAX_TITLE_CHARS = 80
# Pseudo-headings nest by indentation, counted in steps of this many columns.
INDENT_STEP = 4
# A heading's first paragraph this short is its definition; a longer one is explanation.
MAX_DEFINITION_CHARS = 300
MAX_DEFINITION_SENTENCES = 2
# Quotes in quotes are read this deep; each level is parsed again, and notes never go deeper.
MAX_QUOTE_DEPTH = 4
# A paragraph shorter than this is a caption or a remark, not a statement worth a card.
MIN_PROSE_WORDS = 6
_PSEUDO_LEVEL = 10
# A page exported from Notion opens with its properties, one "Name: value" a line, under its
# title: "Created: January 1, 2025", "Last edited time: …", "Tags: …". They say who wrote the
# page and when, nothing a learner recalls; custom ones ("Status: Done") come among them.
_PROPERTY = re.compile(r"[^:\n]{1,40}:(?:\s|$)")
_PAGE_PROPERTY = re.compile(
    r"(?:created|last\s+edited|last\s+modified|last\s+updated|updated|modified"
    r"|date\s+(?:created|modified)|owner|author|erstellt|zuletzt\s+bearbeitet|creado"
    r"|[uú]ltima\s+edici[oó]n|modificado)(?:\s+(?:time|by|at|on|am|von|el|por))?",
    re.IGNORECASE,
)
_LISTS = ("bullet_list", "ordered_list")
# A prompt at the start of a line: "> ", "$ ", ">>> ", "redis> ", "127.0.0.1:6379> ".
_PROMPT = re.compile(r"^(?:[\w.:-]*>|\$|%|>>>)\s")
# What a paragraph can lead: it introduces them, rather than defining its heading.
_LED = (*_LISTS, "table", "fence", "code_block")
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
_INLINE_MARKS = re.compile(r"[*_`]+|\[([^\]]*)\]\([^)]*\)|<[^>]*>")


@dataclass(slots=True)
class _Open:
    title: str
    loc: Loc
    level: int
    path: tuple[str, ...]
    deck: tuple[str, ...]
    items: list[Item] = field(default_factory=list)
    children: list[_Open] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    skipped: bool = False

    def freeze(self) -> Section | None:
        """Freeze this section, or drop it when skipped or when nothing in or under it is a fact."""
        if self.skipped:
            return None
        children = tuple(s for s in (child.freeze() for child in self.children) if s is not None)
        if not self.items and not self.tables and not children:
            return None
        return Section(
            self.title,
            self.loc,
            self.path,
            self.deck,
            tuple(self.items),
            children,
            tuple(self.tables),
        )


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


def read_document(
    source: SourceFile, obsidian: bool = False, blocks: tuple[tuple[str, str], ...] = ()
) -> Document:
    """Parse one notes file into its section tree; in an Obsidian vault, "%%" opens a comment."""
    # Blocks: the text of each block of the notes that has an id, for references to it.
    prepared = prepare(source.text, obsidian, blocks)
    builder = _Builder(source.path)
    builder.walk(parse_markdown(prepared.text))
    root = builder.root.freeze() or Section(source.path, Loc(source.path, 1), (), ())
    if obsidian and builder.first_heading is None:
        # Obsidian shows a note's file name as its title: a note without a "# title" has it.
        root = _titled(root, PurePosixPath(source.path).stem)
    return Document(
        source,
        root,
        builder.first_heading,
        prepared.deck,
        prepared.tags,
        prepared.line_tags,
        prepared.embeds,
    )


def _titled(section: Section, title: str) -> Section:
    """Put a section tree under a title, as a "# title" over it would: path, deck and all."""
    return replace(
        section,
        title=title if not section.path else section.title,
        path=(title, *section.path),
        deck=(title,),
        children=tuple(_titled(child, title) for child in section.children),
    )


class _Builder:
    def __init__(self, path: str) -> None:
        self.path = path
        self.root = _Open(path, Loc(path, 1), 0, (), ())
        self.stack: list[_Open] = [self.root]
        self.first_heading: str | None = None
        # Set by <!-- notes2anki: skip -->: the next section, list item or table stays out.
        self.skip_next = False

    def walk(self, block: Block, quoted: int = 0) -> None:
        # Quoted: how many blockquotes the block is in; their plain lines are facts, not prose.
        nodes = block.nodes
        # What the node before left behind: a list whose last item takes a following code
        # block or image, or a lone line ("Login with:") that leads one.
        after_list = False
        lead: Item | None = None
        for index, node in enumerate(nodes):
            following = nodes[index + 1] if index + 1 < len(nodes) else None
            skip, self.skip_next = self.skip_next, False
            attachment = attachment_of(node, block, self.path)
            if attachment is not None:
                headed = index > 0 and nodes[index - 1].type == "heading"
                if not skip:
                    self._attach(attachment, after_list, lead, headed)
                after_list, lead = False, None
                continue
            after_list = node.type in _LISTS
            lead = _lead_line(node, block, self.path)
            if node.type == "html_block" and is_skip_directive(node.content):
                self.skip_next = True
            elif node.type == "heading":
                self._heading(node, block)
                self.stack[-1].skipped = skip
            elif node.type == "paragraph" and not quoted and _page_properties(nodes, index):
                continue
            elif node.type == "paragraph":
                opened = self._paragraph(node, following, block)
                if opened:
                    self.stack[-1].skipped = skip
                elif (quoted or _asks_and_answers(node)) and not skip:
                    self.stack[-1].items.extend(items_of_lines(_rows(node, block), self.path))
                elif not skip:
                    marked = _marked_sentences(node, block, self.path)
                    under = nodes[index - 1] if index else None
                    # A statement before code is prose that the code illustrates, not a lead.
                    leads = following is not None and (
                        following.type in _LISTS
                        or following.type == "table"
                        or (following.type in _LED and lead is not None)
                    )
                    defines = under is not None and under.type == "heading" and under.tag != "h1"
                    introduces = self.stack[-1].level == 1
                    if (
                        not marked
                        and leads
                        and not introduces
                        and (_states(node) or _measures(node))
                    ):
                        # A statement over a list ("Kommunikation wird vom AP kontrolliert"),
                        # or a sentence giving a figure ("… speeds above 10Gbps."), does not
                        # lead it, no colon asks for what follows; nor does it say what its
                        # heading is, which the list goes on to tell.
                        # Written as one line, a short sentence is a fact too.
                        sentences = _sentences(node, block)
                        marked = _sentence_facts(sentences, self.path, MIN_FACT_WORDS)
                    if not marked and not leads and defines:
                        # A heading's first paragraph, when short and leading nothing (no list,
                        # code or table under it), says what the heading is; under a document's
                        # title it introduces the notes instead.
                        marked = _definition(self.stack[-1].title, node, block, self.path)
                    # What stands under a document's title introduces the notes.
                    if not marked and not leads and not introduces:
                        marked = _prose(node, block, self.path)
                    elif not marked and not introduces and (leads or lead is not None):
                        # The sentences of a paragraph over a list, or of a lead line, are
                        # prose of their own up to the last, which leads what follows.
                        marked = _led_prose(node, block, self.path)
                    self.stack[-1].items.extend(marked)
            elif node.type == "blockquote" and quoted < MAX_QUOTE_DEPTH:
                inner = quoted_block(node, block)
                if inner is not None and not skip:
                    # What a quote opens ends with it: the notes after it go on where they were.
                    depth = len(self.stack)
                    self.walk(inner, quoted + 1)
                    del self.stack[depth:]
            elif node.type in _LISTS:
                items = items_of_list(node, block, self.path, skip_first=skip)
                self.stack[-1].items.extend(items)
            elif node.type == "table" and node.map is not None:
                if not skip:
                    self.stack[-1].tables.append(_table(node, self._loc(block, node.map[0])))
            else:
                recovered = recover_prose(node, block)
                if recovered is not None:
                    self.walk(recovered)

    def _attach(
        self, attachment: Attachment, after_list: bool, lead: Item | None, under_heading: bool
    ) -> None:
        items = self.stack[-1].items
        if after_list and items:
            items[-1] = replace(items[-1], attachments=(*items[-1].attachments, attachment))
        elif lead is not None:
            items.append(replace(lead, attachments=(attachment,)))
        elif attachment.kind == "math" or (
            attachment.kind == "code" and under_heading and not is_transcript(attachment.text)
        ):
            # Code after prose illustrates it, and a session typed at a prompt shows the
            # section at work: neither answers a question the heading asks; nor does a
            # picture, which is shown, not recalled.
            items.append(Item(self.stack[-1].title, attachment.loc, attachments=(attachment,)))

    def _heading(self, node: Node, block: Block) -> None:
        assert node.map is not None
        # "### NAT Instances vs. NAT Gateways:" names what follows; the colon is no part of it.
        title = plain(node.children[0].content).rstrip(":\uff1a").rstrip()
        level = int(node.tag[1:])
        if level == 1 and self.first_heading is None:
            self.first_heading = title
        loc = self._loc(block, node.map[0])
        self._open(title, level, loc)
        defined = _spelled_out(title)
        if defined is not None:
            # "Basic Service Set (BSS): Infrastructure mode" defines its name as it heads it.
            term, meaning = defined
            self.stack[-1].items.append(Item(f"{term}: {meaning}", loc, term=term))

    def _paragraph(self, node: Node, following: Node | None, block: Block) -> bool:
        """Open a pseudo-heading section when the paragraph is one; tell whether it was."""
        assert node.map is not None
        rows = node.children[0].content.split("\n")
        head = rows[0]
        if not is_title(head) or _asks_and_answers(node):
            return False
        level = _PSEUDO_LEVEL + (block.indent + indent_of(block.lines[node.map[0]])) // INDENT_STEP
        loc = self._loc(block, node.map[0])
        introduces_list = (
            len(rows) == 1
            and following is not None
            and following.type in (*_LISTS, "table")
            and following.map is not None
            and following.map[0] == node.map[1]
        )
        if introduces_list:
            self._open(plain(head).rstrip(":").strip(), level, loc)
            return True
        if len(rows) > 1 and all(
            indent_of(block.lines[node.map[0] + i]) >= indent_of(block.lines[node.map[0]])
            for i in range(1, len(rows))
        ):
            # "Quiz:" and a line under it: a title over plain lines, one fact per line.
            self._open(plain(head).rstrip(":").strip(), level, loc)
            self.stack[-1].items.extend(items_of_lines(_rows(node, block)[1:], self.path))
            return True
        return False

    def _open(self, title: str, level: int, loc: Loc) -> None:
        while len(self.stack) > 1 and self.stack[-1].level >= level:
            self.stack.pop()
        parent = self.stack[-1]
        deck = (title,) if level == 1 else parent.deck
        section = _Open(title, loc, level, (*parent.path, title), deck)
        parent.children.append(section)
        self.stack.append(section)

    def _loc(self, block: Block, row: int) -> Loc:
        return Loc(self.path, block.offset + row + 1)


def _page_properties(nodes: tuple[Node, ...], index: int) -> bool:
    """Tell whether a paragraph lists a page's properties under its title (a Notion page)."""
    # Only the page's own title (or its front matter) stands before them.
    if index > 2 or any(
        node.type != "front_matter" and not (node.type == "heading" and node.tag == "h1")
        for node in nodes[:index]
    ):
        return False
    rows = nodes[index].children[0].content.split("\n") if nodes[index].children else []
    labels = [row.split(":", 1)[0].strip() for row in rows if _PROPERTY.match(row)]
    return (
        len(rows) > 1
        and len(labels) == len(rows)
        and any(_PAGE_PROPERTY.fullmatch(label) for label in labels)
    )


def is_transcript(code: str) -> bool:
    """Tell whether code is a session at a prompt ("> get hello", "$ ls") with its output."""
    return any(_PROMPT.match(line) for line in code.splitlines())


def _table(node: Node, loc: Loc) -> Table:
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


def _rows(node: Node, block: Block) -> list[tuple[str, int]]:
    """Return a paragraph's lines, each with its 1-based line in the notes file."""
    assert node.map is not None
    first = block.offset + node.map[0] + 1
    return [(row, first + i) for i, row in enumerate(node.children[0].content.split("\n"))]


def _sentences(node: Node, block: Block) -> list[tuple[str, int]]:
    """Split a paragraph into its sentences, each with the line it starts on."""
    found: list[tuple[str, int]] = []
    sentence: list[str] = []
    start = 0
    for row, line in _rows(node, block):
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


def _marked_sentences(node: Node, block: Block, path: str) -> list[Item]:
    """Read the sentences of a prose paragraph that set a key word in bold, one fact each."""
    # Prose is mostly explanation; a sentence whose author set a word in bold states a fact
    # about it ("**Latency** is the time to perform some action.").
    return [
        Item(text, Loc(path, line), prose=True)
        for text, line in _sentences(node, block)
        if _BOLD.search(text)
    ]


def _definition(title: str, node: Node, block: Block, path: str) -> list[Item]:
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


def _spelled_out(title: str) -> tuple[str, str] | None:
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


def _asks_and_answers(node: Node) -> bool:
    """Tell whether a paragraph opens with a question and the answer on the line after it."""
    # "Q: What does SQS stand for?" over "A: Simple Queue Service" is one fact, not a title.
    rows = node.children[0].content.split("\n", 2)
    return len(rows) > 1 and answered(rows[0].strip(), rows[1].strip()) is not None


def _states(node: Node) -> bool:
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


def _measures(node: Node) -> bool:
    """Tell whether a one-line sentence over a list gives a figure: "… speeds above 10Gbps."."""
    text = node.children[0].content
    return "\n" not in text and bool(_SENTENCE_DONE.search(text)) and bool(figures(text))


def _prose(node: Node, block: Block, path: str) -> list[Item]:
    """Read a paragraph's sentences as facts, each asked by a cloze of its key phrase."""
    text = " ".join(node.children[0].content.split())
    # A line that ends in a colon leads what follows; one without a stop is a caption or a
    # label, not a statement.
    if not _SENTENCE_DONE.search(text) or words(text) < MIN_PROSE_WORDS:
        return []
    return _sentence_facts(_sentences(node, block), path)


def _led_prose(node: Node, block: Block, path: str) -> list[Item]:
    """Read the sentences of a lead paragraph before the one that leads, as facts."""
    return _sentence_facts(_sentences(node, block)[:-1], path)


def _sentence_facts(
    sentences: list[tuple[str, int]], path: str, least: int = MIN_PROSE_WORDS
) -> list[Item]:
    """Make each sentence long enough to state something a fact of prose."""
    return [
        Item(sentence, Loc(path, line), prose=True)
        for sentence, line in sentences
        if words(sentence) >= least
    ]


def _lead_line(node: Node, block: Block, path: str) -> Item | None:
    """Read a one-line paragraph as the lead of a block that may follow it."""
    if node.type != "paragraph" or node.map is None:
        return None
    rows = node.children[0].content.split("\n")
    if len(rows) != 1 or not rows[0].strip() or _SENTENCE_DONE.search(rows[0]):
        return None
    # "The kubelet connects through a socket. Default endpoints:": the last sentence leads.
    last = split_sentences(rows[0])[-1]
    return Item(" ".join(last.split()), Loc(path, block.offset + node.map[0] + 1))
