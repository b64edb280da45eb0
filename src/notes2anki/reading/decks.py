"""Name the Anki deck and tags a section's notes go to."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import PurePosixPath

from notes2anki.model import Document, Section
from notes2anki.safety import safe_name

_TAG_UNSAFE = re.compile(r"[^\w.+-]+")


def file_decks(document: Document, folders: Mapping[str, str]) -> tuple[str, ...]:
    """Return the decks between the root deck and a file's headings: its folders, or its own."""
    if document.deck:
        # "deck: AWS::Compute" in the front matter places the file itself.
        return tuple(part.strip() for part in document.deck.split("::") if part.strip())
    # A folder's name as its owner reads it in the vault: "01 - Biology" stays so.
    parts = PurePosixPath(document.source.path).parent.parts
    return tuple(
        folders.get("/".join(parts[: depth + 1]), part) for depth, part in enumerate(parts)
    )


def deck_name(root: str, section: Section, folders: tuple[str, ...] = ()) -> str:
    """Return the full deck name: the root deck, the file's folders, then its top heading."""
    parts = [_deck_part(root)]
    for part in (*folders, *section.deck):
        named = _deck_part(part)
        # "S3/S3.md" under "# S3" is one deck, not two of the same name.
        if named and named.casefold() not in (root.casefold(), parts[-1].casefold()):
            parts.append(named)
    return "::".join(part for part in parts if part)


def tag_for(root: str, section: Section) -> str:
    """Return a hierarchical tag for the section path, under the root deck's name."""
    parts = [_tag_part(root), *(_tag_part(part) for part in section.path)]
    return "::".join(part for part in parts if part)


def anki_tag(tag: str) -> str:
    """Write a vault's tag as Anki takes it: "#storage/object" is "storage::object"."""
    parts = (_tag_part(part) for part in tag.strip().lstrip("#").split("/"))
    return "::".join(part for part in parts if part)


def name_of_folder(name: str) -> str:
    """Turn a folder or file name into a deck name: hyphens and underscores become spaces."""
    return " ".join(name.replace("-", " ").replace("_", " ").split()) or "Notes"


def _deck_part(name: str) -> str:
    # "::" separates levels in Anki deck names; a heading that contains it must not nest.
    return " ".join(safe_name(name).replace("::", ":").split())


def _tag_part(name: str) -> str:
    return _TAG_UNSAFE.sub("_", safe_name(name)).strip("_")
