"""A shared deck runs no script in its reader's Anki, also after Anki normalizes its text."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
from anki.collection import Collection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import Browser

from notes2anki.building.compiling import compile_notes
from notes2anki.building.pipeline import BuildOptions, build
from notes2anki.cli import main
from notes2anki.errors import NotesError
from notes2anki.safety import clean_field, safe_field, safe_name, sanitize_field
from tests.anki_backend import import_deck, open_collection
from tests.browser import Findings, show_cards, show_page
from tests.helpers import REPO, SWEEP_REPORTS
from tests.hostile_notes import image_hosts, toml_string, write_deck_config, write_notes
from tests.payloads import BASE, COMPOSING, payloads

SOLIDUS_PAYLOAD = '<<img src="https://a.invalid/x.png">\u0338" onerror="alert(1)" x=">'
# The preview page's own parts, which the sweep leaves aside.
PREVIEW_OWN = "head > meta, head > style, body > script:last-of-type"


def rendered(collection: Collection) -> list[tuple[str, str]]:
    """Return every card's question and answer as Anki renders them, and each deck's description."""
    shown: list[tuple[str, str]] = []
    for card_id in collection.find_cards(""):
        card = collection.get_card(card_id)
        where = f"{card.note().fields[-1][:60]} / {card.note().guid} card {card.ord + 1}"
        shown += [(f"{where} question", card.question()), (f"{where} answer", card.answer())]
    for entry in collection.decks.all_names_and_ids():
        deck = collection.decks.get(entry.id)
        if deck is not None and deck.get("desc"):
            # Anki's deck screen shows the description as HTML.
            shown.append((f"description of {deck['name']}", deck["desc"]))
    return shown


def stored_as_built(collection: Collection, notes: dict[str, tuple[str, ...]]) -> list[str]:
    """List the notes whose fields Anki stored otherwise than the build wrote them."""
    differing = []
    for note_id in collection.find_notes(""):
        note = collection.get_note(note_id)
        if tuple(note.fields) != notes[note.guid]:
            differing.append(f"{note.guid}: {note.fields} != {notes[note.guid]}")
    return differing


def test_the_solidus_after_an_image_runs_nothing_once_anki_normalizes(
    browser: Browser, tmp_path: Path
) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "payload.md").write_text(
        "# Payload\n\n"
        f"- Payload - {SOLIDUS_PAYLOAD}\n"
        f'- Picture - ![x](https://a.invalid/x.png)\u0338" onerror="alert(1)" x="\n'
        f'- Link - [\u0338" onmouseover="alert(1)" x="](https://a.invalid/)\n',
        encoding="utf-8",
    )
    result = build(BuildOptions(notes, tmp_path / "dist"))
    collection = open_collection(tmp_path)
    try:
        import_deck(collection, result.deck_path)
        assert stored_as_built(collection, {n.guid: n.fields for n in result.notes}) == []
        findings = show_cards(browser, rendered(collection), Path(collection.media.dir()))
    finally:
        collection.close()
    assert findings.shown > 2 * result.summary.cards  # and the deck's description
    assert findings.ran == []
    assert findings.armed == []
    assert findings.unexpected({"a.invalid"}) == []


# Pieces of markup, and characters that normalization, direction and width play tricks with.
_PIECE_LIST = [
    "<b>",
    "</b>",
    "<img src=x>",
    '<a href="https://x.invalid/">',
    "</a>",
    ">",
    "<",
    "=",
    '"',
    "&",
    "&#x338;",
    "&gt;",
    "{{c1::",
    "::",
    "}}",
    "\\(",
    "\\)",
    "\\href",
    "<code>",
    "</code>",
    "\u0338",
    "\u0327",
    "\u0301",
    "\u200b",
    "\u200d",
    "\u202e",
    "\u2067",
    "\ufeff",
    "\x1f",
    "\r",
    "\xa0",
    "e",
    "A",
    "한",
    "\u1161",
    "\U000e0100",
    "\u0378",
]
# Any text at all: also NUL and lone surrogates, which no notes file holds but a name can.
_ANY_TEXT = st.lists(
    st.one_of(st.sampled_from([*_PIECE_LIST, "\x00", "\ud800", "\udfff"]), st.characters()),
    max_size=40,
).map("".join)
# What a Markdown file can hold: no lone surrogates (not UTF-8), no NUL (a binary file).
_FILE_TEXT = st.lists(
    st.one_of(
        st.sampled_from(_PIECE_LIST),
        st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
    ),
    max_size=25,
).map("".join)


def stable(html: str) -> bool:
    """Tell whether a field is its own NFC and passes the sanitizer unchanged."""
    return unicodedata.normalize("NFC", html) == html and sanitize_field(html) == html


@settings(max_examples=3000, deadline=None)
@given(_ANY_TEXT)
def test_any_text_comes_out_of_the_gate_as_its_own_nfc_and_unchanged_by_it(text: str) -> None:
    field = safe_field(text)
    assert stable(field)
    assert not any("\ud800" <= char <= "\udfff" or char == "\x1f" for char in field)


@settings(max_examples=2000, deadline=None)
@given(st.text(st.characters(exclude_characters="<>&\xa0\ufeff", exclude_categories=("Cs", "Cc"))))
def test_text_without_markup_characters_comes_out_of_nh3_as_it_went_in(text: str) -> None:
    assert clean_field(text) == text


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(item=_FILE_TEXT, heading=_FILE_TEXT, term=_FILE_TEXT, name=_ANY_TEXT)
def test_every_field_built_from_any_text_is_its_own_nfc_and_unchanged_by_the_sanitizer(
    tmp_path_factory: pytest.TempPathFactory, item: str, heading: str, term: str, name: str
) -> None:
    notes = tmp_path_factory.mktemp("any") / "notes"
    notes.mkdir()
    # A file's name is bytes, UTF-8 or not: lone surrogates make bytes that are not.
    raw_name = f"n {name}".replace("/", "-").replace("\0", "").encode("utf-8", "surrogatepass")
    text = f"# {heading}\n\n- Term - {item}\n- {term} - definition\n- {item}\n"
    (notes / os.fsdecode(raw_name[:200] + b".md")).write_text(text, encoding="utf-8")
    (notes / "deck.toml").write_text(
        f'name = "Deck"\ndescription = {toml_string(heading + item)}\n', encoding="utf-8"
    )
    try:
        compiled = compile_notes(BuildOptions(notes, notes.parent / "out"))
    except NotesError:
        return  # a clear refusal, as a bad notes file gets
    for note in compiled.notes:
        assert all(stable(field) for field in note.fields), note.fields
        assert safe_name(note.deck) == note.deck
        assert all(safe_name(tag) == tag for tag in note.tags)


def sweep(folder: Path, browser: Browser, texts: tuple[str, ...], configs: int) -> Findings:
    """Build hostile notes, import them into Anki, show every card and the preview; collect."""
    notes = write_notes(folder / "notes", texts)
    result = build(BuildOptions(notes, folder / "dist"))
    built = {note.guid: note.fields for note in result.notes}
    hosts = image_hosts(notes)
    collection = open_collection(folder)
    try:
        import_deck(collection, result.deck_path)
        for index, text in enumerate(texts[:configs]):
            small = write_deck_config(folder / f"config-{index}", index, text)
            made = build(BuildOptions(small, folder / f"config-dist-{index}"))
            built.update({note.guid: note.fields for note in made.notes})
            import_deck(collection, made.deck_path)
        unstable = stored_as_built(collection, built)
        cards = rendered(collection)
        findings = show_cards(browser, cards, Path(collection.media.dir()))
    finally:
        collection.close()
    assert main(["preview", str(notes), "-o", str(folder / "preview"), "-q"]) == 0
    page = show_page(browser, folder / "preview" / "index.html", PREVIEW_OWN)
    findings.ran += [f"preview: {what}" for what in page.ran]
    findings.armed += [f"preview: {what}" for what in page.armed]
    findings.requests += page.requests
    findings.armed += [f"stored otherwise than built: {what}" for what in unstable]
    _report(folder.name, len(texts), findings, findings.unexpected(hosts))
    return findings


def _report(name: str, texts: int, findings: Findings, unexpected: list[str]) -> None:
    SWEEP_REPORTS.mkdir(parents=True, exist_ok=True)
    lines = [
        f"payloads: {texts}",
        f"documents shown: {findings.shown} (every card's question and answer, descriptions)",
        f"executions: {len(findings.ran)}",
        f"unexpected requests: {len(unexpected)}",
        f"armed: {len(findings.armed)}",
        *findings.ran,
        *unexpected,
        *findings.armed,
    ]
    (SWEEP_REPORTS / f"{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_sweep_of_hostile_notes_runs_nothing_and_loads_nothing_unnamed(
    browser: Browser, tmp_path: Path
) -> None:
    texts = payloads(sample=3)
    findings = sweep(tmp_path / "sweep", browser, texts, configs=12)
    assert len(texts) >= 300
    assert findings.shown >= 20 * len(texts)
    assert findings.ran == []
    assert findings.unexpected(image_hosts(tmp_path / "sweep" / "notes")) == []
    assert findings.armed == []


@pytest.mark.full_sweep
def test_full_sweep_every_disguise_and_every_payload_in_deck_toml(
    browser: Browser, tmp_path: Path
) -> None:
    texts = payloads(sample=1)
    findings = sweep(tmp_path / "full-sweep", browser, texts, configs=len(texts))
    assert findings.ran == []
    assert findings.unexpected(image_hosts(tmp_path / "full-sweep" / "notes")) == []
    assert findings.armed == []


def test_the_payload_list_holds_each_family() -> None:
    every = payloads(sample=1)
    assert len(every) > 600 and len(BASE) > 100 and len(COMPOSING) > 15
    assert sum("\u0338" in text for text in every) > 100
    assert any(text != unicodedata.normalize("NFC", text) for text in every)
    assert any(text != unicodedata.normalize("NFKC", text) for text in every)


def test_card_templates_carry_no_script() -> None:
    # What goes into a deck: the notetypes' templates and the fields'. The preview page
    # (templates/preview) is no card: its own script filters the cards shown on it.
    card_files = [
        *(REPO / "templates" / "anki").iterdir(),
        *(REPO / "templates" / "fields").iterdir(),
    ]
    assert len(card_files) >= 14
    for path in sorted(card_files):
        if path.is_file():
            text = path.read_text(encoding="utf-8").lower()
            assert "<script" not in text and "javascript:" not in text, path
            assert not any(f" on{event}" in text for event in ("load", "error", "click")), path
