"""Write a static page showing every card's front and back as Anki would, grouped by deck."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from itertools import groupby
from pathlib import Path

import jinja2
from markupsafe import Markup

from notes2anki.cards.notetypes import STYLESHEET
from notes2anki.cards.render import visible_text
from notes2anki.cards.template_files import DEFAULT_TEMPLATES
from notes2anki.frozen import frozen
from notes2anki.reading.own_files import PREVIEW_MARK
from notes2anki.records import Note, Skipped
from notes2anki.safety import nfc_stable
from notes2anki.targets.cardview import CardView, card_views

PAGE_NAME = "index.html"
# The page around the cards: its template, style and script, beside the card templates.
PAGE_FOLDER = DEFAULT_TEMPLATES / "preview"


@frozen
class Shown:
    """What a preview shows: the deck's name, its notes, their templates and media, what is out."""

    title: str
    notes: tuple[Note, ...]
    anki_files: Mapping[str, str]  # the notetypes' card templates and stylesheet, by file name
    media: Mapping[str, bytes]
    left_out: tuple[Skipped, ...] = ()


@frozen
class Preview:
    """The page written and how many cards it shows."""

    page: Path
    cards: int


def write_preview(out_dir: Path, shown: Shown) -> Preview:
    """Write index.html and the media it shows into out_dir."""
    views = [view for note in shown.notes for view in card_views(note, shown.anki_files)]
    page = out_dir / PAGE_NAME
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / PREVIEW_MARK).touch()
    for name, data in shown.media.items():
        (out_dir / name).write_bytes(data)
    html = _page().render(
        title=shown.title,
        # Anki's stylesheet, the page's style and script are the project's own files.
        stylesheet=Markup(shown.anki_files[STYLESHEET]),
        page_style=Markup((PAGE_FOLDER / "preview.css").read_text(encoding="utf-8")),
        script=Markup((PAGE_FOLDER / "preview.js").read_text(encoding="utf-8")),
        decks=[
            (deck, [_card(view) for view in group])
            for deck, group in groupby(views, key=lambda view: view.note.deck)
        ],
        left_out=[_left_out(one) for one in shown.left_out],
    )
    page.write_text(nfc_stable(html), encoding="utf-8")
    return Preview(page, len(views))


@cache
def _page() -> jinja2.Template:
    """Load the page's template, escaping every value that is not already HTML."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PAGE_FOLDER),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.get_template("page.html.j2")


def _card(view: CardView) -> dict[str, object]:
    """Return what the page shows of one card: its sides, and the words the filter searches."""
    note = view.note
    return {
        "kind": note.kind.value,
        "search": " ".join(visible_text(field) for field in note.fields).lower(),
        # The sides are Anki's templates filled with the notes' fields, which passed the gate.
        "front": Markup(view.question),
        "back": Markup(view.answer),
    }


def _left_out(one: Skipped) -> dict[str, str]:
    """Return where an item that made no card (or a card left out) stands, and why."""
    return {
        "where": str(one.loc),
        "what": f"{one.card} card left out" if one.card else "no card",
        "why": one.reason,
    }
