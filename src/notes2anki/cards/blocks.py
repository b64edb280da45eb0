"""Render attachments: code highlighted by Pygments (used only here), diagrams, formulas, images."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.lexers.special import TextLexer
from pygments.util import ClassNotFound

from notes2anki.model import Attachment

CODE_CLASS = "n2a-code"
# Light cards take Pygments' default colours; night mode takes a dark palette.
DAY_STYLE, NIGHT_STYLE = "default", "monokai"


def render_attachment(attachment: Attachment, render_inline: Callable[[str], str]) -> str:
    """Render one attachment as field HTML."""
    if attachment.kind in ("code", "diagram"):
        return _code(attachment.text, attachment.language)
    if attachment.kind == "math":
        return f'<div class="n2a-math">\\[{_escape(attachment.text)}\\]</div>'
    return f'<div class="n2a-image">{render_inline(attachment.text)}</div>'


@cache
def highlight_css() -> str:
    """Return the stylesheet for highlighted code, for day and for Anki's night mode."""
    day = HtmlFormatter(style=DAY_STYLE).get_style_defs(f".{CODE_CLASS}")  # type: ignore[no-untyped-call]
    night = HtmlFormatter(style=NIGHT_STYLE).get_style_defs(  # type: ignore[no-untyped-call]
        [f".nightMode .{CODE_CLASS}", f".night_mode .{CODE_CLASS}"]
    )
    return f"\n/* Highlighted code (Pygments {DAY_STYLE} / {NIGHT_STYLE}) */\n{day}\n{night}\n"


def _code(text: str, language: str) -> str:
    try:
        lexer = get_lexer_by_name(language) if language else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    formatter = HtmlFormatter(cssclass=CODE_CLASS, wrapcode=True)
    return str(highlight(text, lexer, formatter)).strip()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
