"""Turn list nodes into Items, repairing the nesting that plain-text notes express by layout."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from notes2anki.model import Attachment, Item, Loc
from notes2anki.pairs import is_term, split_pair
from notes2anki.reading.parse import (
    Block,
    Node,
    attachment_of,
    has_skip_directive,
    indent_of,
    is_skip_directive,
    recover_prose,
)
from notes2anki.reading.questions import is_answer_line
from notes2anki.text import strip_lead_glyphs

_MARKER = re.compile(r"^(\s*)(\d{1,9}[.)]|[-+*])(\s*)")
_LINE_MARKER = re.compile(r"^\s*(?:\d{1,9}[.)]|[-+*])\s+")
# "8 ELB - ..." under "7. ...": a number that lost its dot continues the list, it is not prose.
_LOST_DOT = re.compile(r"^(?P<number>\d{1,3})(?:[.)]\s*|\s+)(?P<rest>\S.*)$")
_LEAD_END = re.compile(r"(?:[:=]+>?|\s-+|\u2013)\s*$")
_LISTS = ("bullet_list", "ordered_list")
_TAG = re.compile(r"<[^>]*>")


@dataclass(slots=True)
class _Line:
    text: str
    indent: int
    line: int


@dataclass(slots=True)
class _Open:
    """An item being assembled; frozen into an Item once all its lines are read."""

    text: str
    line: int
    number: int | None
    children: list[_Open] = field(default_factory=list)
    child_indent: int = -1
    nested: list[Item] = field(default_factory=list)
    ordered: bool = False
    attachments: list[Attachment] = field(default_factory=list)
    # <!-- notes2anki: skip --> on the item's line, or on a line of its own after it.
    skipped: bool = False
    skips_next: bool = False

    def freeze(self, path: str) -> Item:
        children = tuple(
            child.freeze(path) for child in self.children if not has_skip_directive(child.text)
        ) + tuple(self.nested)
        return Item(
            strip_lead_glyphs(" ".join(self.text.split())),
            Loc(path, self.line),
            children,
            self.ordered,
            tuple(self.attachments),
        )


def items_of_list(
    node: Node, block: Block, path: str, skip_first: bool = False
) -> tuple[Item, ...]:
    """Read a bullet or ordered list into Items, in order, leaving out skipped ones."""
    ordered = node.type == "ordered_list"
    found: list[_Open] = []
    base_indent: int | None = None
    skip_next = skip_first
    for list_item in node.children:
        assert list_item.map is not None
        marker_indent = indent_of(block.lines[list_item.map[0]])
        if base_indent is None:
            base_indent = marker_indent
        for opened in _read_item(list_item, ordered, block, path):
            skip, skip_next = skip_next or opened.skipped, opened.skips_next
            if skip or not (opened.text.strip() or opened.children or opened.nested):
                continue
            # An item indented past its list's first marker, yet too little for CommonMark to
            # nest it, belongs to the item above: notes indent sub-lists by eye.
            if found and marker_indent > base_indent:
                found[-1].nested.append(opened.freeze(path))
            else:
                found.append(opened)
    return tuple(opened.freeze(path) for opened in found)


def items_of_lines(lines: list[tuple[str, int]], path: str) -> tuple[Item, ...]:
    """Make one Item per line of a plain-text list (text, 1-based line)."""
    # "2. ..." right under a title cannot start a list in CommonMark (only "1." can), so it
    # arrives here as a plain line; its marker is still a marker.
    stripped = [(_LINE_MARKER.sub("", text, count=1), line) for text, line in lines]
    return tuple(
        Item(strip_lead_glyphs(" ".join(text.split())), Loc(path, line))
        for text, line in stripped
        if text.strip()
    )


def _read_item(node: Node, ordered: bool, block: Block, path: str) -> list[_Open]:
    assert node.map is not None
    first_line = node.map[0]
    marker = _MARKER.match(block.lines[first_line])
    content_col = (
        len(marker.group(1)) + len(marker.group(2)) + max(1, min(len(marker.group(3)), 4))
        if marker
        else 0
    )
    number = int(node.info) if ordered and node.info.isdigit() else None
    lines: list[_Line] = []
    nested: list[Item] = []
    attachments: list[Attachment] = []
    skips_next = False
    for child in node.children:
        if (
            child.type == "paragraph"
            and child.map is not None
            and not attachment_of(child, block, path)
        ):
            inline = child.children[0]
            for index, text in enumerate(inline.content.split("\n")):
                row = child.map[0] + index
                lines.append(_Line(text.strip(), indent_of(block.lines[row]), row))
        elif child.type == "heading" and child.map is not None and child.map[0] == first_line:
            # "- # of partitions = …": notes write "#" for "number", and CommonMark reads a
            # heading; the line is the item's text as written.
            row = child.map[0]
            text = _LINE_MARKER.sub("", block.lines[row], count=1).strip()
            lines.append(_Line(text, indent_of(block.lines[row]), row))
        elif child.type in _LISTS:
            nested.extend(items_of_list(child, block, path))
        elif child.type == "code_block":
            recovered = recover_prose(child, block)
            if recovered is not None:
                nested.extend(_items_of_block(recovered, path))
        elif child.type == "html_block" and is_skip_directive(child.content):
            skips_next = True
        elif child.type == "html_block" and child.map is not None:
            # An exam's answer is often folded away: <details><summary>Answer</summary>
            # Correct answer: D</details>. Its answer line is read as a line of the item.
            nested.extend(_answer_lines(child, block, path))
        elif (attachment := attachment_of(child, block, path)) is not None:
            attachments.append(attachment)
    if not lines:
        opened = [_Open("", block.offset + first_line + 1, number, ordered=ordered)]
    else:
        opened = _assemble(lines, content_col, number, ordered, block.offset)
    opened[-1].nested = nested
    opened[-1].attachments = attachments
    opened[-1].skips_next = skips_next
    for one in opened:
        one.skipped = has_skip_directive(one.text)
    return opened


def _assemble(
    lines: list[_Line], content_col: int, number: int | None, ordered: bool, offset: int
) -> list[_Open]:
    """Group an item's lines into the item, its plain-text children and any glued-on siblings."""
    first = lines[0]
    items = [_Open(first.text, offset + first.line + 1, number, ordered=ordered)]
    for line in lines[1:]:
        current = items[-1]
        lost_dot = _LOST_DOT.match(line.text)
        if (
            ordered
            and lost_dot
            and current.number is not None
            and int(lost_dot.group("number")) == current.number + 1
        ):
            items.append(
                _Open(
                    lost_dot.group("rest"), offset + line.line + 1, current.number + 1, ordered=True
                )
            )
            continue
        last_child = current.children[-1] if current.children else None
        if line.indent > content_col:
            if last_child is not None and line.indent > current.child_indent:
                last_child.text += " " + line.text
            else:
                current.children.append(_Open(line.text, offset + line.line + 1, None))
                current.child_indent = line.indent
            continue
        pair = split_pair(line.text)
        # A wrapped sentence goes on in lowercase; a line starting anew with "Term: ..." is a fact,
        # and so is every "term - ..." line under a lead such as "Placement constraints -".
        starts_anew = (
            line.text[:1].isupper()
            or bool(current.children)
            or bool(_LEAD_END.search(current.text))
        )
        is_pair = pair is not None and bool(pair.right) and is_term(pair.left)
        # Under a lead such as "Deployment Type:", each line starting anew is one entry.
        under_lead = bool(_LEAD_END.search(current.text)) and line.text[:1].isupper()
        if (starts_anew and is_pair) or under_lead:
            current.children.append(_Open(line.text, offset + line.line + 1, None))
            current.child_indent = line.indent
        elif last_child is not None:
            last_child.text += " " + line.text
        else:
            current.text += " " + line.text
    return items


def _answer_lines(node: Node, block: Block, path: str) -> list[Item]:
    """Return the answer lines of an HTML block ("Correct answer: D") as items."""
    assert node.map is not None
    found = []
    for row in range(node.map[0], node.map[1]):
        text = _TAG.sub(" ", block.lines[row]).strip()
        if is_answer_line(text):
            found.append(Item(" ".join(text.split()), Loc(path, block.offset + row + 1)))
    return found


def _items_of_block(block: Block, path: str) -> list[Item]:
    found: list[Item] = []
    for node in block.nodes:
        if node.type in _LISTS:
            found.extend(items_of_list(node, block, path))
        elif node.type == "paragraph" and node.map is not None:
            rows = node.children[0].content.split("\n")
            found.extend(
                items_of_lines(
                    [(text, block.offset + node.map[0] + i + 1) for i, text in enumerate(rows)],
                    path,
                )
            )
    return found
