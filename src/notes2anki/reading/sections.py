"""Build the section tree of a notes file: headings, pseudo-headings and the items under them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

from notes2anki.model import Attachment, Document, Item, Loc, Section, SourceFile, Table
from notes2anki.reading.front_matter import page_properties
from notes2anki.reading.items import items_of_lines, items_of_list
from notes2anki.reading.parse import (
    Block,
    Node,
    attachment_of,
    indent_of,
    is_skip_directive,
    is_transcript,
    parse_markdown,
    quoted_block,
    recover_prose,
)
from notes2anki.reading.prose import (
    asks_and_answers,
    definition_items,
    is_title,
    lead_line,
    led_prose,
    marked_sentences,
    measures,
    plain,
    prose_items,
    sentence_facts,
    sentences_of,
    spelled_out,
    states,
    table_of,
    table_rows,
)
from notes2anki.reading.vault import prepare
from notes2anki.text import MIN_FACT_WORDS

# Pseudo-headings nest by indentation, counted in steps of this many columns.
INDENT_STEP = 4
# Quotes in quotes are read this deep; each level is parsed again, and notes never go deeper.
MAX_QUOTE_DEPTH = 4
_PSEUDO_LEVEL = 10
_LISTS = ("bullet_list", "ordered_list")
# What a paragraph can lead: it introduces them, rather than defining its heading.
_LED = (*_LISTS, "table", "fence", "code_block")


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
            lead = lead_line(node, block, self.path)
            if node.type == "html_block" and is_skip_directive(node.content):
                self.skip_next = True
            elif node.type == "heading":
                self._heading(node, block)
                self.stack[-1].skipped = skip
            elif node.type == "paragraph" and not quoted and page_properties(nodes, index):
                continue
            elif node.type == "paragraph":
                opened = self._paragraph(node, following, block)
                if opened:
                    self.stack[-1].skipped = skip
                elif (quoted or asks_and_answers(node)) and not skip:
                    self.stack[-1].items.extend(items_of_lines(table_rows(node, block), self.path))
                elif not skip:
                    under = nodes[index - 1] if index else None
                    self.stack[-1].items.extend(self._prose(node, (under, following), block, lead))
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
                    self.stack[-1].tables.append(table_of(node, self._loc(block, node.map[0])))
            else:
                recovered = recover_prose(node, block)
                if recovered is not None:
                    self.walk(recovered)

    def _prose(
        self,
        node: Node,
        around: tuple[Node | None, Node | None],
        block: Block,
        lead: Item | None,
    ) -> list[Item]:
        """Read a paragraph's facts: marked sentences, a definition, prose, or none."""
        # Around: the nodes before and after it.
        under, following = around
        marked = marked_sentences(node, block, self.path)
        # A statement before code is prose that the code illustrates, not a lead.
        leads = following is not None and (
            following.type in _LISTS
            or following.type == "table"
            or (following.type in _LED and lead is not None)
        )
        defines = under is not None and under.type == "heading" and under.tag != "h1"
        introduces = self.stack[-1].level == 1
        if not marked and leads and not introduces and (states(node) or measures(node)):
            # A statement over a list ("Kommunikation wird vom AP kontrolliert"),
            # or a sentence giving a figure ("… speeds above 10Gbps."), does not
            # lead it, no colon asks for what follows; nor does it say what its
            # heading is, which the list goes on to tell.
            # Written as one line, a short sentence is a fact too.
            sentences = sentences_of(node, block)
            marked = sentence_facts(sentences, self.path, MIN_FACT_WORDS)
        if not marked and not leads and defines:
            # A heading's first paragraph, when short and leading nothing (no list,
            # code or table under it), says what the heading is; under a document's
            # title it introduces the notes instead.
            marked = definition_items(self.stack[-1].title, node, block, self.path)
        # What stands under a document's title introduces the notes.
        if not marked and not leads and not introduces:
            marked = prose_items(node, block, self.path)
        elif not marked and not introduces and (leads or lead is not None):
            # The sentences of a paragraph over a list, or of a lead line, are
            # prose of their own up to the last, which leads what follows.
            marked = led_prose(node, block, self.path)
        return marked

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
        defined = spelled_out(title)
        if defined is not None:
            # "Basic Service Set (BSS): Infrastructure mode" defines its name as it heads it.
            term, meaning = defined
            self.stack[-1].items.append(Item(f"{term}: {meaning}", loc, term=term))

    def _paragraph(self, node: Node, following: Node | None, block: Block) -> bool:
        """Open a pseudo-heading section when the paragraph is one; tell whether it was."""
        assert node.map is not None
        rows = node.children[0].content.split("\n")
        head = rows[0]
        if not is_title(head) or asks_and_answers(node):
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
            self.stack[-1].items.extend(items_of_lines(table_rows(node, block)[1:], self.path))
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
