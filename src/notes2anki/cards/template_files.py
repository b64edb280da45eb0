"""Name the card template files, and the folder that holds the ones notes2anki ships."""

from __future__ import annotations

from pathlib import Path

from notes2anki.cards.notetypes import NOTETYPES, STYLESHEET

# The templates a build reads when given none. Kept apart from the loading of templates: a
# build that finds nothing changed hashes their files, and loads no Jinja.
DEFAULT_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

FIELD_TEMPLATES = (
    "fields/front.html.j2",
    "fields/answer.html.j2",
    "fields/extra.html.j2",
    "fields/context.html.j2",
    "fields/cloze.html.j2",
    "fields/which.html.j2",
    "fields/compare.html.j2",
)


ANKI_FILES = (
    STYLESHEET,
    *(
        name
        for notetype in NOTETYPES
        for template in notetype.templates
        for name in (template.front_file, template.back_file)
    ),
)
