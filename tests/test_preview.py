"""The preview page in a real headless Chromium, and its cards against Anki's own rendering."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page

from notes2anki.building.compiling import compile_notes
from notes2anki.building.pipeline import BuildOptions, build
from notes2anki.cli import main
from notes2anki.targets.cardview import card_views
from tests.anki_backend import import_deck, open_collection
from tests.helpers import REPO, visible
from tests.test_presentation import HOSTILE_NOTES, tiny_png

SCREENSHOTS = REPO / "build" / "screenshots"
PHONE = {"width": 375, "height": 812}


def open_page(browser: Browser, page_file: Path) -> tuple[Page, list[str]]:
    page = browser.new_page(viewport=PHONE)
    # Anything hostile that ran would call alert(); count the calls instead of showing them.
    page.add_init_script("window.alerts = 0; window.alert = () => { window.alerts += 1; };")
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            problems.append(f"console {message.type}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.goto(page_file.as_uri())
    return page, problems


@pytest.fixture(scope="module")
def seed_preview(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    notes = tmp_path_factory.mktemp("seed") / "notes"
    shutil.copytree(REPO / "notes", notes)
    out = notes.parent / "preview"
    assert main(["preview", str(notes), "-o", str(out), "-q"]) == 0
    cards = compile_notes(BuildOptions(notes, out)).summary.cards
    return out / "index.html", cards


def test_every_card_renders_without_console_errors(
    browser: Browser, seed_preview: tuple[Path, int]
) -> None:
    page_file, cards = seed_preview
    page, problems = open_page(browser, page_file)
    assert page.locator(".preview-card").count() == cards
    assert page.locator(".preview-card .preview-side").count() == 2 * cards
    assert page.locator("#preview-count").inner_text() == f"{cards} of {cards} cards"
    assert page.locator(".preview-deck").first.inner_text().startswith("AWS DVA-C01")
    assert problems == []
    page.close()


def test_filter_and_night_mode_on_a_phone(browser: Browser, seed_preview: tuple[Path, int]) -> None:
    page_file, cards = seed_preview
    page, problems = open_page(browser, page_file)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "seed-day-375.png"))
    page.locator("#preview-filter").fill("cname alias")
    shown = page.locator(".preview-card:visible").count()
    assert 0 < shown < cards
    assert page.locator("#preview-count").inner_text() == f"{shown} of {cards} cards"
    page.screenshot(path=str(SCREENSHOTS / "seed-filtered-375.png"))
    page.locator("#preview-night").click()
    night_sides = page.locator(".card.nightMode.night_mode").count()
    assert night_sides == 2 * cards
    background = page.locator(".card").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(30, 30, 32)"
    page.screenshot(path=str(SCREENSHOTS / "seed-night-375.png"))
    # Nothing spills sideways on a phone: the page is as wide as the screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    assert problems == []
    page.close()


def test_preview_shows_what_anki_shows(seed_notes: Path, tmp_path: Path) -> None:
    result = build(BuildOptions(seed_notes, tmp_path / "dist"))
    compiled = compile_notes(BuildOptions(seed_notes, tmp_path / "dist"))
    ours = {
        (view.note.guid, view.ordinal): (visible(view.question), visible(view.answer))
        for note in compiled.notes
        for view in card_views(note, compiled.templates.anki)
    }
    collection = open_collection(tmp_path)
    try:
        import_deck(collection, result.deck_path)
        anki = {}
        for card_id in collection.find_cards(""):
            card = collection.get_card(card_id)
            anki[(card.note().guid, card.ord + 1)] = (
                visible(card.question()),
                visible(card.answer()),
            )
    finally:
        collection.close()
    assert ours.keys() == anki.keys()
    differing = [key for key in ours if ours[key] != anki[key]]
    assert differing == [], "\n".join(f"{ours[k]}\n{anki[k]}" for k in differing[:2])


def test_hostile_notes_preview_runs_nothing_and_shows_the_image(
    browser: Browser, tmp_path: Path
) -> None:
    notes = tmp_path / "notes"
    (notes / "img").mkdir(parents=True)
    (notes / "img" / "vpc.png").write_bytes(tiny_png(200))
    # The network is closed here: leave out the remote image, whose load would fail.
    offline = "\r\n".join(line for line in HOSTILE_NOTES.split("\r\n") if "https://" not in line)
    (notes / "hostile.md").write_bytes(offline.encode("utf-8"))
    assert main(["preview", str(notes), "-o", str(tmp_path / "preview"), "-q"]) == 0
    page, problems = open_page(browser, tmp_path / "preview" / "index.html")
    page.locator("#preview-night").click()
    page.locator("#preview-filter").fill("image")
    assert page.evaluate("window.alerts") == 0
    images = page.locator("img[src^='n2a-']")
    assert images.count() >= 2  # front and back of the card showing it
    assert images.first.evaluate("img => img.complete && img.naturalWidth === 1")
    assert page.locator("script").count() == 1  # the page's own
    assert problems == []
    page.close()


def test_preview_lists_what_was_left_out_and_why(browser: Browser, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text(
        "# Tips\n- Tag every resource with its **owner and cost center\n- Cache: Cache\n"
        "- Tags name each resource by its owner\n",
        encoding="utf-8",
    )
    out = tmp_path / "preview"
    assert main(["preview", str(notes), "-o", str(out), "-q"]) == 0
    page, problems = open_page(browser, out / "index.html")
    section = page.locator("#preview-left-out")
    assert section.is_visible()
    assert section.locator("h2").inner_text() == "Left out (2)"
    rows = section.locator("li").all_inner_texts()
    assert rows == [
        "a.md:2 no card: it would show markup as text (**)",
        "a.md:3 no card: its answer repeats its question",
    ]
    # Filtering the cards leaves the list in place: it is no card.
    page.locator("#preview-filter").fill("owner")
    assert page.locator(".preview-card:visible").count() == 1
    assert section.is_visible()
    assert problems == []
    page.close()
