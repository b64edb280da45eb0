"""Name the Anki deck and tags a section's notes go to."""

from __future__ import annotations

import re

from notes2anki.model import Section
from notes2anki.safety import safe_name

_TAG_UNSAFE = re.compile(r"[^\w.+-]+")


def deck_name(root: str, section: Section) -> str:
    """Return the full deck name: the root deck, then the section's top heading as a subdeck."""
    parts = [_deck_part(root)]
    parts += [_deck_part(part) for part in section.deck if part.casefold() != root.casefold()]
    return "::".join(part for part in parts if part)


def tag_for(root: str, section: Section) -> str:
    """Return a hierarchical tag for the section path, under the root deck's name."""
    parts = [_tag_part(root), *(_tag_part(part) for part in section.path)]
    return "::".join(part for part in parts if part)


def _deck_part(name: str) -> str:
    # "::" separates levels in Anki deck names; a heading that contains it must not nest.
    return " ".join(safe_name(name).replace("::", ":").split())


def _tag_part(name: str) -> str:
    return _TAG_UNSAFE.sub("_", safe_name(name)).strip("_")
