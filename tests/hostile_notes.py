"""Write hostile text into every place notes hold text: items, terms, headings, tables, links,
images, code, cloze syntax, formulas, front matter, deck.toml, and file and folder names."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from tests.payloads import IMAGE_HOST

_NAME_BYTES = 120


def write_notes(folder: Path, texts: Sequence[str]) -> Path:
    """Write one file per text, each in a folder named after it; return the notes folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for index, text in enumerate(texts):
        name = file_name(text)
        place = folder / f"d{index} {name}"
        place.mkdir()
        (place / f"f{index} {name}.md").write_text(notes_text(index, text), encoding="utf-8")
    return folder


def write_deck_config(folder: Path, index: int, text: str) -> Path:
    """Write a one-file notes folder whose deck.toml names and describes the deck with text."""
    folder.mkdir(parents=True)
    name = toml_string(f"Deck {index} {_line(text)}")
    config = f'name = {name}\nversion = "1.0"\ndescription = {toml_string(text)}\n'
    (folder / "deck.toml").write_text(config, encoding="utf-8")
    (folder / "notes.md").write_text(f"# Topic {index}\n\n- Term {index} - fine\n", "utf-8")
    return folder


def notes_text(index: int, text: str) -> str:
    """Return a notes file that holds text in each place a fact, heading or table can."""
    t = _line(text)
    cell = t.replace("|", "\\|")
    block = "\n".join(f"  {line}" for line in text.split("\n"))
    return f"""---
title: {json.dumps(text, ensure_ascii=False)}
tags: [{t}]
---
# Topic {index} {t}

- Term {index} - {t}
- {t} - definition {index}
- Link {index} - [{t}](https://link.invalid/{index}) and [tap {index}]({t})
- Picture {index} - ![{t}](https://{IMAGE_HOST}/{index}.png) and ![x{index}]({t})
- Code {index} - `{t}` in code
- The ==key {index}== is {t} here too
- {{{{c1::{t}}}}} is hidden in card {index}
- {t} :: answer {index}
- Q: What is {t} number {index}? A: {t}
- Formula {index} - ${t}$ and \\({t}\\)

Pseudo {index} {t}
1. First {index} - {t}
2. Second {index} - plain words here

## EBS vs EFS {index}

- EBS - {t}
- EFS - network file system {index}

## Costs {index}

| Feature | S3 | EBS |
| --- | --- | --- |
| Cost {index} | {cell} | cheap |
| Kind {index} | object | block |

## Blocks {index}

- Block {index} - with code:

  ```html
{block}
  ```

- Display {index} - a formula:

  $$
{block}
  $$

{t}
"""


def file_name(text: str) -> str:
    """Return text as a file or folder name: no slash or NUL, not hidden, short enough."""
    name = text.replace("/", "\u2215").replace("\0", "").replace("\n", " ")
    while len(name.encode("utf-8")) > _NAME_BYTES:
        name = name[:-1]
    return name


def image_hosts(folder: Path) -> set[str]:
    """Return the hosts that the notes name as images' (Markdown images and <img> tags)."""
    hosts: set[str] = set()
    pattern = re.compile(
        r"(?:!\[[^\]]*\]\(\s*<?|<img\b[^>]*\bsrc\s*=\s*[\"']?)https?://([^/\s\"'>)]+)"
    )
    for path in folder.rglob("*.md"):
        hosts.update(m.lower() for m in pattern.findall(path.read_text(encoding="utf-8")))
    return hosts


def toml_string(text: str) -> str:
    """Write text as a TOML basic string: quotes, backslashes and controls escaped."""
    escaped = "".join(
        f"\\u{ord(char):04x}" if char in '"\\' or unicodedata.category(char) == "Cc" else char
        for char in text
    )
    return f'"{escaped}"'


def _line(text: str) -> str:
    return " ".join(text.replace("\r", " ").split("\n"))
