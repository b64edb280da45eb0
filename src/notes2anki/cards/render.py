"""Render card Markdown to note field HTML through the Jinja templates in ``templates/``."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

import jinja2
from markupsafe import Markup, escape

from notes2anki.cards.blocks import render_attachment
from notes2anki.cards.templates import Templates
from notes2anki.errors import NotesError
from notes2anki.model import Kind, Loc
from notes2anki.reading.parse import markdown
from notes2anki.records import CardSpec, Segment
from notes2anki.safety import sanitize

# Private-use marks around a gap survive Markdown rendering untouched and become {{cN:: … }}.
_GAP_OPEN, _GAP_MID, _GAP_CLOSE = "\ue000", "\ue001", "\ue002"
_BOLD_GAP = re.compile(r"(\*\*|__)(\S(?:.*\S)?)\1", re.DOTALL)
_GAP_MARK = re.compile(f"{_GAP_OPEN}(\\d+){_GAP_MID}")
_TAGS = re.compile(r"<[^>]*>")
_SHARED_LIMIT = 20_000
# Text with none of Markdown's or HTML's special characters (a no-break space comes out of
# the sanitiser as &nbsp;), and no edge spaces to trim.
_PLAIN = re.compile(
    r"(?:[^\s\\`*_\[\]!<>&$~|\ue000-\ue002](?:[^\\`*_\[\]!<>&$~|\n\r\t\xa0\ue000-\ue002]*[^\s\\`*_\[\]!<>&$~|\ue000-\ue002])?)?"
)
_CODE_SPAN = re.compile(r"(`+[^`]*?`+)")
_ESCAPED_BREAK = re.compile(r"\\<\\?/?br\s*\\?/?\\?>|<\\/?br\\>", re.IGNORECASE)
# "[[note]]", "[[note|shown words]]", "[[note#heading]]"; "![[embed]]" is a picture, not a link.
_WIKILINK = re.compile(r"(?<!!)\[\[([^\[\]|\n]+)(?:\|([^\[\]\n]*))?\]\]")
_RUNNABLE_ELEMENT = re.compile(
    r"<(script|style|iframe|object|embed|noscript|template|svg|math)\b[^>]*>.*?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)
_LOOSE_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")
_RUNNABLE_ATTRIBUTE = re.compile(
    r"""\s(?:on\w+|(?:href|src|action|formaction|xlink:href)(?=\s*=\s*["']?\s*(?:javascript|vbscript|data):))"""
    r"""\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""",
    re.IGNORECASE,
)


def render_inline(text: str) -> Markup:
    """Render one line of Markdown to safe HTML."""
    # Most lines of notes are plain words: nothing for Markdown or the sanitiser to do, and
    # what they would return is the text itself.
    if _PLAIN.fullmatch(text):
        return Markup(text)
    return Markup(sanitize(markdown().renderInline(defuse(_clean(as_meant(text))))))


def as_meant(text: str) -> str:
    """Write what notes mean outside code: a [[wikilink]] as its words, an escaped break as one."""
    if "[[" not in text and "\\<" not in text and "\\>" not in text:
        return text  # most lines hold neither
    parts = _CODE_SPAN.split(text)
    for index in range(0, len(parts), 2):
        part = _WIKILINK.sub(_link_text, parts[index])
        # "\</br\>" in a table cell: its author escaped a line break, and meant one.
        parts[index] = _ESCAPED_BREAK.sub("<br>", part)
    return "".join(parts)


def _link_text(match: re.Match[str]) -> str:
    target, alias = match.group(1), match.group(2)
    if alias and alias.strip():
        return alias.strip()
    # "[[Project/Networking/STP timers#Max age]]" reads "STP timers > Max age", as Obsidian shows
    # a link to a heading; a folder path is where the note is kept, not what it is called.
    page, _, heading = target.partition("#")
    name = page.strip().rsplit("/", 1)[-1].removesuffix(".md")
    heading = heading.strip().lstrip("^")
    return " > ".join(part for part in (name, heading) if part) or target


def defuse(text: str) -> str:
    """Disarm HTML that CommonMark would show as text but a browser would run, before parsing."""
    # "<img src=x onerror=alert('x')>" is not HTML to CommonMark (a quote in an unquoted value),
    # so nh3 never sees it; a browser would. Outside code spans, drop what could run in it.
    parts = _CODE_SPAN.split(text)
    for index in range(0, len(parts), 2):
        part = _RUNNABLE_ELEMENT.sub("", parts[index])
        parts[index] = _LOOSE_TAG.sub(lambda m: _RUNNABLE_ATTRIBUTE.sub("", m.group()), part)
    return "".join(parts)


def render_fields(spec: CardSpec, templates: Templates, source: str) -> tuple[str, ...]:
    """Render a card's fields in its notetype's order."""
    # Many notes share a breadcrumb and an extra field: each is rendered once for its Markdown.
    context = _render_shared(
        templates,
        ("fields/context.html.j2", spec.section.path, spec.context),
        lambda: {"crumbs": _crumbs(spec)},
    )
    blocks = [Markup(render_attachment(a, render_inline)) for a in spec.attachments]
    # A card that asks for nothing but a block (a lead over code) shows it as its answer.
    blocks_answer = spec.kind is not Kind.CLOZE and not spec.back and bool(blocks)
    shown_blocks = () if blocks_answer else spec.attachments
    extra = _render_shared(
        templates,
        ("fields/extra.html.j2", spec.extra, spec.ordered, shown_blocks),
        lambda: {
            "items": [render_inline(item) for item in spec.extra],
            "ordered": spec.ordered,
            "blocks": [] if blocks_answer else blocks,
        },
    )
    if spec.kind is Kind.CLOZE:
        text = _render(templates, "fields/cloze.html.j2", text=Markup(cloze_html(spec.segments)))
        return (text, extra, context, source)
    if spec.kind is Kind.COMPARE:
        subjects = str(render_inline(spec.front))
        return (subjects, _render_comparison(spec, templates), extra, context, source)
    if spec.kind is Kind.WHICH:
        front = _render(
            templates,
            "fields/which.html.j2",
            shown=render_inline(spec.front),
            choices=[render_inline(choice) for choice in spec.choices],
        )
    else:
        front = _render(templates, "fields/front.html.j2", front=render_inline(spec.front))
    back = _render(
        templates,
        "fields/answer.html.j2",
        items=[render_inline(item) for item in spec.back],
        ordered=spec.ordered,
        blocks=blocks if blocks_answer else [],
    )
    return (front, back, extra, context, source)


def _render_comparison(spec: CardSpec, templates: Templates) -> str:
    comparison = spec.comparison
    assert comparison is not None
    table = comparison.table
    return _render(
        templates,
        "fields/compare.html.j2",
        table=None
        if table is None
        else {
            "header": [render_inline(cell) for cell in table.header],
            "rows": [[render_inline(cell) for cell in row] for row in table.rows],
        },
        rows=[
            (render_inline(subject), [render_inline(fact) for fact in facts])
            for subject, facts in comparison.rows
        ],
    )


def cloze_html(segments: tuple[Segment, ...]) -> str:
    """Render cloze segments as one line of HTML with Anki's {{cN::…}} gaps."""
    # Plain words render as themselves (see render_inline), so the gaps go straight in.
    if _PLAIN.fullmatch("".join(segment.markdown for segment in segments)):
        return "".join(
            f"{{{{c{segment.hidden}::{segment.markdown}}}}}" if segment.hidden else segment.markdown
            for segment in segments
        )
    marked = "".join(
        _gap(segment.hidden, _clean(segment.markdown))
        if segment.hidden
        else _clean(segment.markdown)
        for segment in segments
    )
    html = sanitize(markdown().renderInline(defuse(as_meant(marked))))
    return _GAP_MARK.sub(r"{{c\1::", html).replace(_GAP_CLOSE, "}}")


def _gap(number: int, hidden: str) -> str:
    """Mark a gap; a bold gap keeps its ** outside the marks, where Markdown still reads them."""
    # "**`crictl` is the tool**" with a mark between ** and ` would not open bold: the marks
    # are letters to Markdown, and ** before punctuation opens only after a space.
    bold = _BOLD_GAP.fullmatch(hidden)
    if bold and not (bold.group(2)[0].isalnum() and bold.group(2)[-1].isalnum()):
        marker, inner = bold.group(1), bold.group(2)
        return f"{marker}{_GAP_OPEN}{number}{_GAP_MID}{inner}{_GAP_CLOSE}{marker}"
    return f"{_GAP_OPEN}{number}{_GAP_MID}{hidden}{_GAP_CLOSE}"


def visible_text(html: str) -> str:
    """Return the text a field shows, without tags or entities."""
    if "<" not in html and "&" not in html:
        return " ".join(html.split())
    return unescape(" ".join(_TAGS.sub(" ", html).split()))


def _crumbs(spec: CardSpec) -> list[Markup]:
    return [Markup.escape(part) for part in spec.section.path] + [
        render_inline(part) for part in spec.context
    ]


def _render_shared(
    templates: Templates, key: tuple[object, ...], values: Callable[[], dict[str, object]]
) -> str:
    """Render the template named first in key, once for each key: values are made on a miss."""
    found = templates.shared.get(key)
    if found is None:
        if len(templates.shared) > _SHARED_LIMIT:
            templates.shared.clear()
        name = key[0]
        assert isinstance(name, str)
        found = templates.shared[key] = _render(templates, name, **values())
    return found


def _render(templates: Templates, name: str, **values: object) -> str:
    printed = templates.printing.get(name)
    if printed is not None and printed in values:
        # A template that prints one value makes it what Jinja would, escaped: most cards'
        # fronts and clozes, each spared a render's context.
        return str(escape(values[printed])).strip()
    template = templates.fields[name]
    try:
        # What Template.render does, less the copy of the globals through a chain of mappings
        # that took half of each call: they are one mapping since the template was read.
        context = template.new_context({**template.globals, **values}, shared=True)
        return "".join(template.root_render_func(context)).strip()
    except jinja2.TemplateError as exc:
        raise NotesError(Loc(str(templates.directory / name), 1), str(exc)) from None


def _clean(text: str) -> str:
    return text.replace(_GAP_OPEN, "").replace(_GAP_MID, "").replace(_GAP_CLOSE, "")
