"""Field HTML: Markdown rendered, gaps placed, raw HTML never passed through."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from notes2anki.cards.drafts import make_drafts
from notes2anki.cards.render import cloze_html, defuse, render_inline
from notes2anki.cards.template_files import DEFAULT_TEMPLATES
from notes2anki.cards.templates import load_templates
from notes2anki.reading.config import DeckConfig
from notes2anki.reading.parse import markdown
from notes2anki.records import Segment
from notes2anki.safety import sanitize
from tests.helpers import cards_of


def test_gap_around_formatting_keeps_the_formatting_inside() -> None:
    html = cloze_html((Segment("**Fargate**", hidden=1), Segment(": serverless, no `EC2`")))
    assert html == "{{c1::<strong>Fargate</strong>}}: serverless, no <code>EC2</code>"


def test_raw_html_keeps_formatting_and_loses_what_could_run() -> None:
    specs = cards_of(
        "# Web <b>UI</b>\n"
        "- XSS demo - <b>bold</b> <sup>2</sup> <script>alert(1)</script> "
        '<span onclick="alert(1)">click</span> <a href="javascript:alert(1)">link</a>\n'
    )
    drafted = make_drafts(
        specs,
        DeckConfig("Deck", "1.0"),
        load_templates(DEFAULT_TEMPLATES),
        Path("."),
    )
    everything = " ".join(field for draft in drafted.drafts for field in draft.fields)
    assert "<script" not in everything and "alert(1)" not in everything
    assert "onclick" not in everything and "javascript:" not in everything
    assert "<b>bold</b>" in everything and "<sup>2</sup>" in everything
    assert "Web UI" in everything  # titles are plain text


def _fields(templates_dir: Path, notes: str) -> list[tuple[str, ...]]:
    """Render every card of the notes with the templates of a folder."""
    templates = load_templates(templates_dir)
    drafted = make_drafts(cards_of(notes), DeckConfig("Deck", "1.0"), templates, Path("."))
    return [draft.fields for draft in drafted.drafts]


_STYLED_NOTES = (
    "# Limits <b>&</b> quotas\n"
    '- Max message size - 256 KB, "not" more & never <i>less</i>\n'
    "- The queue keeps a message for **14 days** at most\n"
    "- Visibility timeout - the time a received message stays <hidden> from others\n"
)


def test_a_template_that_prints_one_value_renders_as_jinja_would() -> None:
    templates = load_templates(DEFAULT_TEMPLATES)
    # The default front and cloze templates print one value each, and take the short way.
    assert set(templates.printing) == {"fields/front.html.j2", "fields/cloze.html.j2"}
    specs = cards_of(_STYLED_NOTES)
    config = DeckConfig("Deck", "1.0")
    short = make_drafts(specs, config, templates, Path("."))
    through_jinja = make_drafts(specs, config, replace(templates, printing={}), Path("."))
    assert [d.fields for d in short.drafts] == [d.fields for d in through_jinja.drafts]
    assert any("&amp;" in field for draft in short.drafts for field in draft.fields)


def test_a_styled_front_or_cloze_template_is_rendered_by_jinja(tmp_path: Path) -> None:
    styled = tmp_path / "templates"
    shutil.copytree(DEFAULT_TEMPLATES, styled)
    (styled / "fields" / "front.html.j2").write_text(
        '<span class="q">{{ front }}</span>\n', encoding="utf-8"
    )
    (styled / "fields" / "cloze.html.j2").write_text("{{ text }} {{ text | length }}\n")
    assert load_templates(styled).printing == {}
    fields = _fields(styled, _STYLED_NOTES)
    assert any(f[0] == '<span class="q">Visibility timeout</span>' for f in fields)
    clozes = [f[0] for f in fields if "{{c1::" in f[0]]
    assert clozes and all(cloze.rsplit(" ", 1)[-1].isdigit() for cloze in clozes)


_SLOW_INPUT = "\ue003"  # a private-use mark no fast path accepts, dropped again below


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=" aZ9-.,:;()'\"#%/=+?\u00a0éß→", max_size=12), max_size=4))
def test_plain_text_takes_the_short_way_to_the_same_html(words: list[str]) -> None:
    text = "".join(words)
    slow = sanitize(markdown().renderInline(defuse(text)))
    assert render_inline(text) == slow
    segments = tuple(Segment(word, hidden=index % 2) for index, word in enumerate(words))
    marked = tuple(Segment(s.markdown + _SLOW_INPUT, s.hidden) for s in segments)
    assert cloze_html(segments) == cloze_html(marked).replace(_SLOW_INPUT, "")


def test_a_bold_gap_that_starts_or_ends_with_punctuation_stays_bold() -> None:
    # Markdown opens ** before "`" only after a space: a gap mark in between would show the **.
    html = cloze_html(
        (Segment("**`crictl` is the tool used on nodes**", hidden=1), Segment(" today"))
    )
    assert html == "<strong>{{c1::<code>crictl</code> is the tool used on nodes}}</strong> today"
    assert "**" not in cloze_html((Segment("See "), Segment('**"quoted"**', hidden=1)))
    # A plain bold word keeps its gap around the bold, as decks built before show it.
    assert cloze_html((Segment("Use "), Segment("**KMS**", hidden=1))) == (
        "Use {{c1::<strong>KMS</strong>}}"
    )


def test_wikilinks_and_escaped_breaks_read_as_their_author_meant() -> None:
    # Obsidian shows a link's alias, else its note's name (a heading after " > "); a folder path
    # is where the note is kept. Code shows what was typed.
    line = "[[STP]] elects a [[Networking/Root bridge|root bridge]], see [[STP timers#Max age]]"
    assert render_inline(line) == "STP elects a root bridge, see STP timers &gt; Max age"
    assert render_inline("type `[[STP]]` here") == "type <code>[[STP]]</code> here"
    cloze = cloze_html((Segment("[[Project/RSTP|RSTP]] uses "), Segment("sync", hidden=1)))
    assert cloze == "RSTP uses {{c1::sync}}"
    # "\</br\>" in a table cell is a line break its author had to escape.
    assert render_inline(r"push \</br\> pop") == "push <br> pop"
    assert render_inline(r"`\</br\>`") == r"<code>\&lt;/br\&gt;</code>"


def test_a_term_asked_in_two_sections_names_each_section_on_its_front() -> None:
    specs = cards_of(
        "# Route 53\n- CNAME: hostname to hostname\n- Alias: hostname to AWS resource\n"
        "## CNAME vs Alias\n- CNAME: only for a name below the root domain\n"
        "- Alias: works for the root domain too\n",
        ("basic",),
    )
    drafted = make_drafts(
        specs, DeckConfig("Deck", "1.0"), load_templates(DEFAULT_TEMPLATES), Path(".")
    )
    fronts = [draft.fields[0] for draft in drafted.drafts]
    # Anki flags a note whose first field another note has: each front says where it stands.
    assert fronts == [
        "CNAME (Route 53)",
        "Alias (Route 53)",
        "CNAME (CNAME vs Alias)",
        "Alias (CNAME vs Alias)",
    ]
    # The card is the same card: its identity does not move with its front.
    alone = make_drafts(
        cards_of("# Route 53\n- CNAME: hostname to hostname\n", ("basic",)),
        DeckConfig("Deck", "1.0"),
        load_templates(DEFAULT_TEMPLATES),
        Path("."),
    )
    assert alone.drafts[0].fields[0] == "CNAME"
    assert alone.drafts[0].key == drafted.drafts[0].key


def test_a_heading_card_is_named_by_the_section_above_it_not_by_itself() -> None:
    specs = cards_of(
        "# Probabilistic data structures\n## Bloom filter\nTells whether an item may be in a set.\n"
        "## Count-min sketch\n- Bloom filter: a structure of the same family, for membership\n",
        ("basic",),
    )
    drafted = make_drafts(
        specs, DeckConfig("Deck", "1.0"), load_templates(DEFAULT_TEMPLATES), Path(".")
    )
    # "Bloom filter (Bloom filter)" would name nothing the front does not say already.
    assert [draft.fields[0] for draft in drafted.drafts] == [
        "Bloom filter (Probabilistic data structures)",
        "Bloom filter (Count-min sketch)",
    ]
