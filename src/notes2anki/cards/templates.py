"""Load the card templates: the fields' Jinja templates and Anki's own, each checked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from pathlib import Path

import jinja2
from jinja2 import nodes

from notes2anki.cards.blocks import highlight_css
from notes2anki.cards.notetypes import STYLESHEET
from notes2anki.cards.template_files import ANKI_FILES, FIELD_TEMPLATES
from notes2anki.errors import NotesError, raise_all
from notes2anki.frozen import frozen
from notes2anki.model import Loc


@frozen
class Templates:
    """The compiled field templates and the verbatim Anki card templates and stylesheet."""

    directory: Path
    fields: Mapping[str, jinja2.Template]
    anki: Mapping[str, str]
    # Of the field templates, those that only print one value: their names, and the value's.
    printing: Mapping[str, str] = field(default_factory=dict)
    # Fields many notes share (a section's breadcrumb, an empty extra) are rendered once.
    shared: dict[tuple[object, ...], str] = field(default_factory=dict, compare=False, repr=False)


def load_templates(directory: Path) -> Templates:
    """Read and compile every template, reporting all missing or broken files at once."""
    problems: list[NotesError] = []
    for name in (*FIELD_TEMPLATES, *ANKI_FILES):
        if not (directory / name).is_file():
            problems.append(NotesError(Loc(str(directory / name), 1), "template file is missing"))
    raise_all(problems)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
    )
    compiled: dict[str, jinja2.Template] = {}
    printing: dict[str, str] = {}
    for name in FIELD_TEMPLATES:
        try:
            # Read and parsed once: the tree both compiles and tells what the template prints.
            path = directory / name
            tree = env.parse(path.read_text(encoding="utf-8"), name, str(path))
            compiled[name] = env.from_string(tree)
            printed = _printed_name(tree)
            if printed is not None:
                printing[name] = printed
        except jinja2.TemplateSyntaxError as exc:
            problems.append(
                NotesError(Loc(str(directory / name), exc.lineno), exc.message or "syntax error")
            )
    raise_all(problems)
    anki = {name: (directory / name).read_text(encoding="utf-8") for name in ANKI_FILES}
    anki[STYLESHEET] += highlight_css()
    for template in compiled.values():
        # The globals (range, dict, ...) as one plain mapping: each render copies them and
        # lists their names, and through Jinja's chain of mappings that took much of a render.
        template.globals = dict(template.globals)
    return Templates(directory, compiled, anki, printing)


def _printed_name(tree: nodes.Template) -> str | None:
    """Name the one value a template prints and nothing more ("{{ text }}"), or None."""
    if len(tree.body) != 1 or not isinstance(tree.body[0], nodes.Output):
        return None
    printed = [node for node in tree.body[0].nodes if not _blank_data(node)]
    if len(printed) == 1 and isinstance(printed[0], nodes.Name):
        return printed[0].name
    return None


def _blank_data(node: nodes.Node) -> bool:
    return isinstance(node, nodes.TemplateData) and not node.data.strip()
