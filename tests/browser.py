"""Show HTML in a real headless Chromium and count what ran, what loaded and what lies armed."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, Route, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# Chromium's own services would try to reach the network, which is closed here.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Traps every way a script shows itself (a dialog, eval, a request from script, a new window),
# naming the card whose element the running event came from; and lists what a user's gesture (a
# hover, a click, a focus) would set off: handlers, script URLs, elements that run or load pages,
# and formulas that MathJax, as Anki sets it up, would turn into links, styles or extensions.
# Installed before anything else runs; Playwright reads the report from the page's DOM only, so
# its own evaluation never passes through the traps.
WATCH = r"""
const watch = { ran: [], armed: [], now: "the page" };
(() => {
  const where = () => {
    const target = window.event && window.event.target;
    const box = target && target.closest && target.closest("[data-card]");
    return box ? box.dataset.card : watch.now;
  };
  const trap = (name) => function () { watch.ran.push(name + " @ " + where()); };
  for (const name of ["alert", "confirm", "prompt", "print", "open", "eval", "fetch"]) {
    window[name] = trap(name);
  }
  window.Function = trap("Function");
  window.XMLHttpRequest.prototype.open = trap("XMLHttpRequest");
  window.navigator.sendBeacon = trap("sendBeacon");
  window.WebSocket = trap("WebSocket");
  for (const name of ["setTimeout", "setInterval"]) {
    const real = window[name].bind(window);
    window[name] = (code, ...rest) => typeof code === "string"
      ? watch.ran.push(name + " with code @ " + where()) : real(code, ...rest);
  }
})();
watch.scan = (root, own, typeset) => {
  const found = [];
  const risky = /^(javascript|vbscript|data|livescript):/i;
  // The URL as the browser reads it, which drops tabs and line breaks, and blanks around it.
  const resolved = (value) => {
    try { return new URL(value, document.baseURI).href; } catch (error) { return value; }
  };
  const running = "script,iframe,frame,frameset,object,embed,applet,base,meta,link,form,"
    + "svg,math,template,portal,style,noscript";
  const urlish = /(^|:)(href|src|action|formaction|data|poster|background)$/;
  for (const element of root.querySelectorAll("*")) {
    const name = element.tagName.toLowerCase();
    if (element.matches(running) && !(own && element.matches(own))) found.push("<" + name + ">");
    for (const attribute of element.attributes) {
      const key = attribute.name.toLowerCase();
      if (key.startsWith("on")) found.push(name + " " + key);
      if (key === "style" || key === "srcdoc") found.push(name + " " + key);
      if (urlish.test(key) && risky.test(resolved(attribute.value))) {
        found.push(name + " " + key + "=" + attribute.value);
      }
    }
  }
  if (!typeset) return found.map((what) => what.slice(0, 100));
  const texts = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.parentElement || !node.parentElement.closest("code,pre,script,style")) {
      texts.push(node.data);
    }
  }
  const formula = /\\\(([\s\S]*?)\\\)|\\\[([\s\S]*?)\\\]/g;
  for (const match of texts.join("").matchAll(formula)) {
    if (/\\\s*(href|require|style|class|cssId)(?![A-Za-z])/.test(match[0])) {
      found.push("formula " + match[0]);
    }
  }
  return found.map((what) => what.slice(0, 100));
};
watch.report = () => {
  const report = document.createElement("pre");
  report.id = "watch-report";
  report.hidden = true;
  report.textContent = JSON.stringify({ ran: watch.ran, armed: watch.armed });
  document.documentElement.appendChild(report);
};
"""

# Each card goes into a box of its own the way Anki's reviewer shows one: its HTML set as the
# inner HTML of an element, then each script in it made anew so that it runs.
_SHOW = r"""
const cards = JSON.parse(document.getElementById("cards").textContent);
cards.forEach(([label, html], index) => {
  const box = document.createElement("div");
  box.className = "card";
  box.dataset.card = label;
  document.body.appendChild(box);
  watch.now = label;
  box.innerHTML = html;
  for (const old of box.querySelectorAll("script")) {
    const script = document.createElement("script");
    for (const attribute of old.attributes) script.setAttribute(attribute.name, attribute.value);
    script.text = old.text;
    old.replaceWith(script);
  }
});
watch.now = "after the cards were shown";
// Handlers of failed loads fire a moment after the cards are in.
setTimeout(() => {
  for (const box of document.querySelectorAll("[data-card]")) {
    for (const what of watch.scan(box, "[data-card] > style:first-child", true)) {
      watch.armed.push(box.dataset.card + ": " + what);
    }
  }
  watch.report();
}, 300);
"""

# On a written page (the preview), the scan runs once it has loaded. The preview typesets no
# formulas (it loads no MathJax), so they are not looked at there.
_ON_LOAD = r"""
window.addEventListener("load", () => setTimeout(() => {
  watch.armed.push(...watch.scan(document.documentElement, OWN, false));
  watch.report();
}, 300));
"""


@dataclass
class Findings:
    """What showing some HTML set off: scripts run, requests made, things left armed."""

    shown: int = 0
    ran: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    armed: list[str] = field(default_factory=list)

    def unexpected(self, image_hosts: set[str]) -> list[str]:
        """Return the requests to any host that the notes did not name as an image's."""
        return [url for url in self.requests if urlsplit(url).hostname not in image_hosts]


@contextmanager
def chromium() -> Iterator[Browser]:
    """Start Debian's Chromium headless through Playwright."""
    executable = shutil.which("chromium")
    if executable is None:
        raise RuntimeError("Debian's chromium is not installed; `make test` installs it")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            launched.close()


def show_cards(
    browser: Browser, cards: Sequence[tuple[str, str]], media: Path, batch: int = 500
) -> Findings:
    """Show each (label, html) as Anki's reviewer does, with its media, and collect."""
    findings = Findings()
    base = escape(media.resolve().as_uri() + "/")
    with tempfile.TemporaryDirectory() as scratch:
        page = _watched_page(browser, findings)
        for start in range(0, len(cards), batch):
            chunk = [list(card) for card in cards[start : start + batch]]
            data = json.dumps(chunk).replace("<", "\\u003c")
            sheet = Path(scratch, f"cards-{start}.html")
            sheet.write_text(
                f'<!DOCTYPE html><html><head><meta charset="utf-8"><base href="{base}">'
                f"<script>{WATCH}</script></head><body>"
                f'<script id="cards" type="application/json">{data}</script>'
                f"<script>{_SHOW}</script></body></html>",
                encoding="utf-8",
            )
            _read_report(page, sheet, findings)
            findings.shown += len(chunk)
        page.close()
    return findings


def show_page(browser: Browser, page_file: Path, own: str) -> Findings:
    """Open a written page (the preview) and collect what it set off, its own parts aside."""
    findings = Findings()
    page = _watched_page(browser, findings)
    page.add_init_script(WATCH + f"const OWN = {json.dumps(own)};" + _ON_LOAD)
    _read_report(page, page_file, findings)
    findings.shown = 1
    page.close()
    return findings


def _watched_page(browser: Browser, findings: Findings) -> Page:
    """Open a page whose requests off this machine are logged and refused."""
    page = browser.new_page()

    def route(route: Route) -> None:
        if route.request.url.startswith(("file:", "about:", "data:", "blob:")):
            route.continue_()
        else:
            findings.requests.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.on("websocket", lambda socket: findings.requests.append(socket.url))
    return page


def _read_report(page: Page, page_file: Path, findings: Findings) -> None:
    try:
        page.goto(page_file.as_uri(), wait_until="load", timeout=60_000)
        report = page.locator("#watch-report")
        report.wait_for(state="attached", timeout=30_000)
        found = json.loads(report.text_content() or "{}")
    except PlaywrightTimeoutError:
        # Something in the page took it elsewhere (a refresh, a form) or never let it finish.
        findings.armed.append(f"{page_file.name}: the page never finished showing")
        return
    findings.ran += found["ran"]
    findings.armed += found["armed"]
