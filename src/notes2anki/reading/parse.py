"""Parse Markdown with markdown-it-py, and re-read prose that CommonMark took for code."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from notes2anki.frozen import frozen
from notes2anki.model import Attachment, Loc

# Lines that only code has: statement ends, block braces, prompts, keywords that open code.
_CODE_LINE = re.compile(
    r"""[;{}]\s*$
    | ^\s*(?:\$|>>>|\#include|def|class|import|from\s+\S+\s+import|function|return|const|let|var
           |public|private|SELECT|INSERT|if\s*\(|for\s*\(|while\s*\()\b
    | ^\s*[\[{]\s*$ | \w\(.*\)\s*$ | ^\s*</?[a-z]
    """,
    re.VERBOSE,
)
_QUOTE_BULLET = re.compile(r"^(\s*)>\s?", re.MULTILINE)
# Box-drawing and block characters ("┌─┐", "│", "▓"), and the diagram languages people fence.
_BOX_DRAWING = re.compile(r"[\u2500-\u259f]")
_DIAGRAM_LANGUAGES = frozenset(("mermaid", "plantuml", "puml", "dot", "graphviz", "ditaa"))
# A block with this many box-drawing characters per word of text is drawn, not written.
MIN_DRAWN_SHARE = 0.5
_LONE_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_SKIP = re.compile(r"<!--\s*notes2anki:\s*skip\s*-->", re.IGNORECASE)


@frozen
class Node:
    """A block of parsed Markdown: a heading, paragraph, list, item, table part, or its line."""

    # As markdown-it's syntax tree names them: "paragraph", "bullet_list", "inline", ...; map is
    # the [first, end) lines it spans, content the text of a leaf such as a line or code block.
    type: str
    map: list[int] | None
    content: str
    info: str
    tag: str
    children: tuple[Node, ...]


@frozen
class Block:
    """Parsed Markdown: top-level nodes and the lines they were parsed from."""

    # offset: the 0-based line of the notes file where lines[0] stands; indent: how many columns
    # of the file's text were cut from the left of every line before parsing.
    nodes: tuple[Node, ...]
    lines: tuple[str, ...]
    offset: int = 0
    indent: int = 0


@cache
def markdown() -> MarkdownIt:
    """Return the shared renderer: CommonMark, tables, front matter, $math$, raw HTML kept."""
    # Raw HTML passes through here and is sanitised with every rendered fragment (render.py).
    parser = _parser()
    parser.add_render_rule("math_inline", _math("\\(", "\\)"))
    for name in ("math_inline_double", "math_block", "math_block_label"):
        parser.add_render_rule(name, _math("\\[", "\\]"))
    return parser


# What a text must hold somewhere for each block rule to match in it (any one pattern of the
# rule's), searched with a line break before the text so that each line opens with one: without
# it the rule is left out of the parse. Each is a little looser than its rule (a "|" anywhere, a
# "]:" anywhere, an underline's line after any quote marks), so a rule that could match is never
# left out. Each pattern opens with a character or a line break: the regex engine skips ahead
# to it (opening with a choice, the searches took a tenth of the parse).
_RULE_NEEDS: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = tuple(
    (rule, tuple(map(re.compile, patterns)))
    for rule, patterns in (
        ("front_matter", [r"\A\n-"]),
        # Indented code needs four columns more than its container's: four spaces or a tab in
        # the indent of some line (after its list or quote marks). Other rules ask whether a line
        # is code only while "code" is on; without such a line the answer is no either way.
        ("code", [r"\n[ \t>\d.)*+-]*(?:\t| {4})"]),
        ("table", [r"\|"]),
        ("math_block", [r"\$\$"]),
        ("fence", ["```", "~~~"]),
        ("blockquote", [r"\n[ \t\d.)*+-]*>"]),
        ("hr", [r"-[ \t]*-[ \t]*-", r"\*[ \t]*\*[ \t]*\*", r"_[ \t]*_[ \t]*_"]),
        ("reference", [r"\]:"]),
        ("html_block", ["<"]),
        ("heading", ["#"]),
        ("lheading", [r"\n[ \t>]*(?:=+|-+)[ \t]*(?:\n|\Z)"]),
    )
)


def outline_parser(text: str) -> MarkdownIt:
    """Return text's block parser: inline Markdown left as text, unusable rules left out."""
    # markdown-it tries every block rule at every line, and most notes use few of them: a list
    # of facts has no tables, fences or quotes. Leaving out the rules that cannot match in the
    # text makes the same tokens in a fifth to a third less time.
    lines = f"\n{text}"
    return _outline_parser(
        tuple(
            rule
            for rule, patterns in _RULE_NEEDS
            if not any(pattern.search(lines) for pattern in patterns)
        )
    )


@cache
def _outline_parser(left_out: tuple[str, ...]) -> MarkdownIt:
    # Lines are rendered one at a time when they become fields; parsing their inline marks
    # here as well would be a third of the parse for nothing.
    parser = _parser().disable("inline")
    return parser.disable(list(left_out)) if left_out else parser


def _parser() -> MarkdownIt:
    # "$5 and $10" and "$HOME" are not math: no digit after a closing $, no space inside it.
    return (
        MarkdownIt("commonmark", {"html": True})
        .enable(["table", "strikethrough"])
        .use(front_matter_plugin)
        .use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    )


def _math(opening: str, closing: str) -> Callable[..., str]:
    """Render a formula as Anki's MathJax delimiters, its text escaped."""

    def render(
        renderer: object, tokens: list[Token], index: int, options: object, env: object
    ) -> str:
        return f"{opening}{escapeHtml(tokens[index].content.strip())}{closing}"

    return render


def is_skip_directive(text: str) -> bool:
    """Tell whether text is the comment that keeps the next item or section out of the deck."""
    return bool(_SKIP.fullmatch(text.strip()))


def has_skip_directive(text: str) -> bool:
    """Tell whether a line carries the skip comment, as in "- item <!-- notes2anki: skip -->"."""
    return bool(_SKIP.search(text))


def parse_markdown(text: str, offset: int = 0, indent: int = 0) -> Block:
    """Parse text into a Block whose node lines count from ``offset``."""
    parsed = outline_parser(text).parse(text)
    return Block(_tree(parsed), tuple(text.split("\n")), offset, indent)


def _tree(tokens: list[Token]) -> tuple[Node, ...]:
    """Nest markdown-it's flat tokens: each opening token and its closing one become a node."""
    # Made here rather than with markdown-it's Node, whose every attribute is looked
    # up through the tokens: the outline reads a few attributes of every node many times.
    levels: list[list[Node]] = [[]]
    openings: list[Token] = []
    for token in tokens:
        if token.nesting == 1:
            openings.append(token)
            levels.append([])
        elif token.nesting == -1:
            opening, children = openings.pop(), levels.pop()
            levels[-1].append(
                Node(
                    opening.type.removesuffix("_open"),
                    opening.map,
                    opening.content,
                    opening.info,
                    opening.tag,
                    tuple(children),
                )
            )
        else:
            levels[-1].append(Node(token.type, token.map, token.content, token.info, token.tag, ()))
    return tuple(levels[0])


_QUOTE_MARK = re.compile(r"^\s{0,3}> ?")
_CALLOUT = re.compile(r"^\s*\[!(?P<type>[\w-]+)\][+-]?\s*(?P<title>.*)$")


def recover_prose(node: Node, block: Block) -> Block | None:
    """Re-read an indented code block as Markdown when its lines read as prose, not code."""
    # Plain-text notes indent paragraphs by four spaces after a blank line, which CommonMark takes
    # for code. Inside such a block a leading ">" is a bullet, as people type in plain text.
    # Fenced code is never touched.
    if node.type != "code_block" or node.map is None:
        return None
    text = node.content.rstrip("\n")
    if not _reads_as_prose(text):
        return None
    return parse_markdown(
        _QUOTE_BULLET.sub(r"\1- ", text),
        offset=block.offset + node.map[0],
        indent=block.indent + 4,
    )


def quoted_block(node: Node, block: Block) -> Block | None:
    """Re-read a blockquote's lines without their ">" as Markdown; a callout's title leads them."""
    if node.type != "blockquote" or node.map is None:
        return None
    lines = [_QUOTE_MARK.sub("", block.lines[row], count=1) for row in range(*node.map)]
    # An Obsidian callout, "> [!tip] Exam": its title (else its type) heads what it holds.
    callout = _CALLOUT.match(lines[0]) if lines else None
    if callout:
        lines[0] = callout["title"].strip() or callout["type"].capitalize()
    return parse_markdown(
        "\n".join(lines), offset=block.offset + node.map[0], indent=block.indent + 2
    )


def _reads_as_prose(text: str) -> bool:
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return False
    code_like = sum(1 for line in lines if _CODE_LINE.search(line))
    wordy = sum(1 for line in lines if len(re.findall(r"[A-Za-z]{2,}", line)) >= 2)
    return code_like == 0 and wordy * 2 >= len(lines)


def indent_of(line: str) -> int:
    """Count the leading columns of a line, tabs expanded to four."""
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def _code_kind(text: str, language: str) -> str:
    """Tell code from a diagram drawn in a code block: boxes and lines, or a diagram language."""
    # A drawing is shown, not recalled: it answers no question, as a picture does not.
    if language.lower() in _DIAGRAM_LANGUAGES:
        return "diagram"
    drawn = len(_BOX_DRAWING.findall(text))
    return "diagram" if drawn and drawn >= MIN_DRAWN_SHARE * len(text.split()) else "code"


def attachment_of(node: Node, block: Block, path: str) -> Attachment | None:
    """Read a fenced code block, a display formula or a lone image as an attachment."""
    if node.map is None:
        return None
    loc = Loc(path, block.offset + node.map[0] + 1)
    if node.type == "fence":
        text, language = node.content.rstrip("\n"), node.info.split(" ")[0]
        return Attachment(_code_kind(text, language), text, loc, language)
    if node.type == "code_block" and not _reads_as_prose(node.content):
        text = node.content.rstrip("\n")
        return Attachment(_code_kind(text, ""), text, loc)
    if node.type in ("math_block", "math_block_label"):
        return Attachment("math", node.content.strip(), loc)
    if node.type == "paragraph" and _LONE_IMAGE.fullmatch(node.children[0].content.strip()):
        return Attachment("image", node.children[0].content.strip(), loc)
    return None


# A prompt at the start of a line: "> ", "$ ", ">>> ", "redis> ", "127.0.0.1:6379> ".
_PROMPT = re.compile(r"^(?:[\w.:-]*>|\$|%|>>>)\s")


def is_transcript(code: str) -> bool:
    """Tell whether code is a session at a prompt ("> get hello", "$ ls") with its output."""
    return any(_PROMPT.match(line) for line in code.splitlines())
