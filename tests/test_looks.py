"""How cards look as Anki renders them, in a real Chromium: on a phone and on a desktop."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from notes2anki.building.pipeline import BuildOptions, build
from tests.anki_backend import import_deck, open_collection

NOTES = """\
# Networking

TCP vs UDP
- TCP - connection-oriented, reliable delivery with retransmission and ordering
- UDP - connectionless datagrams, no delivery guarantee, low latency

| Protocol | Transport | Port |
| --- | --- | --- |
| HTTPS/TLS | TCP | 443 |
| DNS | UDP | 53 |

## Containers
- Run a container - start it detached:
  ```sh
  docker run -d -p 80:80 nginx
  docker ps --filter status=running
  docker logs -f web
  ```
"""

# Each word of a table's text, with the break a browser may make after a hyphen or a slash:
# a word shown on more than one line was broken inside.
_BROKEN_WORDS = """() => {
  const broken = [];
  for (const table of document.querySelectorAll('.n2a-compare-table')) {
    const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/[^\\s\\-\\/]+[\\-\\/]?/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        if (tops.size > 1) broken.push(word[0]);
      }
    }
  }
  return broken;
}"""

# Everything inside a code block that paints a background of its own.
_CODE_BACKGROUNDS = """() => [...document.querySelectorAll('.n2a-code')].map((block) =>
  [block, ...block.querySelectorAll('*')].filter((element) => {
    const style = getComputedStyle(element);
    return style.backgroundColor !== 'rgba(0, 0, 0, 0)' || style.backgroundImage !== 'none';
  }).length)"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Return every card's answer side as Anki renders it, stylesheet included."""
    folder = tmp_path_factory.mktemp("looks")
    notes = folder / "notes"
    notes.mkdir()
    (notes / "a.md").write_text(NOTES, encoding="utf-8")
    result = build(BuildOptions(notes, folder / "dist"))
    collection = open_collection(folder)
    try:
        import_deck(collection, result.deck_path)
        return [collection.get_card(card).answer() for card in collection.find_cards("")]
    finally:
        collection.close()


@pytest.mark.parametrize("width", [375, 1100])
def test_tables_break_no_word_and_code_blocks_have_one_background(
    browser: Browser, rendered: list[str], width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    tables = code_blocks = 0
    try:
        for answer in rendered:
            # As Anki's reviewer shows a card: in a body of class "card".
            page.set_content(f'<!DOCTYPE html><html><body class="card">{answer}</body></html>')
            tables += page.locator(".n2a-compare-table").count()
            code_blocks += page.locator(".n2a-code").count()
            assert page.evaluate(_BROKEN_WORDS) == [], answer
            assert all(count == 1 for count in page.evaluate(_CODE_BACKGROUNDS)), answer
    finally:
        page.close()
    assert tables >= 2 and code_blocks >= 2  # the list comparison, the table; Basic and Cloze
