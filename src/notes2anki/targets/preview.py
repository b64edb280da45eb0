"""Write a static page showing every card's front and back as Anki would, grouped by deck."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path

from notes2anki.cards.notetypes import STYLESHEET
from notes2anki.cards.render import visible_text
from notes2anki.frozen import frozen
from notes2anki.reading.own_files import PREVIEW_MARK
from notes2anki.records import Note, Skipped
from notes2anki.safety import nfc_stable
from notes2anki.targets.cardview import CardView, card_views

PAGE_NAME = "index.html"

_PAGE_STYLE = """
body.preview { margin: 0; background: #ececef; font-family: system-ui, sans-serif; }
body.preview.dark { background: #111113; color: #e6e6e9; }
.preview-bar { position: sticky; top: 0; z-index: 2; display: flex; gap: 0.5em; flex-wrap: wrap;
  align-items: center; padding: 0.6em 0.8em; background: #fff; border-bottom: 1px solid #d8d8dc; }
body.preview.dark .preview-bar { background: #1e1e20; border-color: #3a3a3e; }
.preview-bar input { flex: 1 1 12em; font-size: 16px; padding: 0.35em 0.5em; }
.preview-bar button { font-size: 15px; padding: 0.35em 0.7em; }
.preview-count { font-size: 14px; opacity: 0.75; }
.preview-deck { margin: 1.2em 0.8em 0.4em; font-size: 17px; }
.preview-card { margin: 0.6em 0.8em 1em; border-radius: 8px; overflow: hidden;
  box-shadow: 0 1px 3px rgba(0, 0, 0, 0.18); }
.preview-card[hidden], .preview-deck[hidden] { display: none; }
.preview-side { position: relative; padding: 0.2em 0 0.4em; }
.preview-side + .preview-side { border-top: 2px dashed #c8c8cc; }
.preview-left-out { margin: 0 0.8em 2em; font-size: 15px; overflow-wrap: anywhere; }
.preview-left-out h2 { margin: 1.2em 0 0.4em; font-size: 17px; }
.preview-left-out li { margin: 0.3em 0; }
.preview-label { position: absolute; right: 0.6em; top: 0.3em; font: 11px system-ui, sans-serif;
  opacity: 0.55; text-transform: uppercase; letter-spacing: 0.06em; }
"""

_PAGE_SCRIPT = """
const filterBox = document.getElementById("preview-filter");
const counter = document.getElementById("preview-count");
const cards = Array.from(document.querySelectorAll(".preview-card"));
const decks = Array.from(document.querySelectorAll(".preview-deck"));
function applyFilter() {
  const words = filterBox.value.toLowerCase().split(/\\s+/).filter(Boolean);
  let shown = 0;
  for (const card of cards) {
    const text = card.dataset.search;
    const match = words.every((word) => text.includes(word));
    card.hidden = !match;
    if (match) shown += 1;
  }
  for (const deck of decks) {
    deck.hidden = !cards.some((card) => !card.hidden && card.dataset.deck === deck.dataset.deck);
  }
  counter.textContent = shown + " of " + cards.length + " cards";
}
filterBox.addEventListener("input", applyFilter);
document.getElementById("preview-night").addEventListener("click", () => {
  const night = document.body.classList.toggle("dark");
  for (const side of document.querySelectorAll(".card")) {
    side.classList.toggle("nightMode", night);
    side.classList.toggle("night_mode", night);
  }
});
applyFilter();
"""


@frozen
class Preview:
    """The page written and how many cards it shows."""

    page: Path
    cards: int


def write_preview(
    out_dir: Path,
    title: str,
    notes: tuple[Note, ...],
    anki_files: Mapping[str, str],
    media: Mapping[str, bytes],
    left_out: tuple[Skipped, ...] = (),
) -> Preview:
    """Write index.html and the media it shows into out_dir."""
    views = [view for note in notes for view in card_views(note, anki_files)]
    page = out_dir / PAGE_NAME
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / PREVIEW_MARK).touch()
    for name, data in media.items():
        (out_dir / name).write_bytes(data)
    html = _page(title, views, anki_files[STYLESHEET], left_out)
    page.write_text(nfc_stable(html), encoding="utf-8")
    return Preview(page, len(views))


def _page(title: str, views: list[CardView], stylesheet: str, left_out: tuple[Skipped, ...]) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)} — card preview</title>",
        f"<style>{stylesheet}\n{_PAGE_STYLE}</style></head>",
        '<body class="preview">',
        '<div class="preview-bar">',
        '<input id="preview-filter" type="search" placeholder="Filter cards"'
        ' aria-label="Filter cards">',
        '<button id="preview-night" type="button">Night mode</button>',
        '<span id="preview-count" class="preview-count"></span>',
        "</div>",
    ]
    deck = None
    for view in views:
        if view.note.deck != deck:
            deck = view.note.deck
            parts.append(f'<h2 class="preview-deck" data-deck="{escape(deck)}">{escape(deck)}</h2>')
        parts.append(_card(view))
    if left_out:
        parts.append(_left_out(left_out))
    parts += [f"<script>{_PAGE_SCRIPT}</script>", "</body></html>"]
    return "\n".join(parts)


def _left_out(left_out: tuple[Skipped, ...]) -> str:
    """List the items that made no card and the cards left out, each with where and why."""
    rows = "".join(
        f'<li><code class="preview-where">{escape(str(one.loc))}</code> '
        f"{escape(f'{one.card} card left out' if one.card else 'no card')}: "
        f'<span class="preview-why">{escape(one.reason)}</span></li>'
        for one in left_out
    )
    return (
        '<section id="preview-left-out" class="preview-left-out">'
        f"<h2>Left out ({len(left_out)})</h2><ul>{rows}</ul></section>"
    )


def _card(view: CardView) -> str:
    note = view.note
    searchable = escape(" ".join(visible_text(field) for field in note.fields).lower())
    return (
        f'<article class="preview-card" data-deck="{escape(note.deck)}" '
        f'data-kind="{note.kind.value}" data-search="{searchable}">'
        f"{_side('front', view.question)}{_side('back', view.answer)}</article>"
    )


def _side(label: str, html: str) -> str:
    # Anki's stylesheet styles ".card"; each side carries it, as Anki's card view does.
    return f'<div class="preview-side card"><span class="preview-label">{label}</span>{html}</div>'
