"""Write the deck.toml that init leaves in a new notes folder: the name, and every setting shown."""

from __future__ import annotations

import json

from notes2anki.reading.config import DEFAULT_VERSION, deck_name_of
from notes2anki.reading.subjects import DEFAULT_WORDS


def starter_config(name: str, known_rules: tuple[str, ...]) -> str:
    """Return a commented deck.toml naming the deck, with every other setting shown."""
    # JSON's string syntax is TOML's too, for a name whose control characters are gone.
    rules = ", ".join(json.dumps(rule) for rule in known_rules)
    versus = ", ".join(json.dumps(word, ensure_ascii=False) for word in DEFAULT_WORDS.versus)
    return f"""\
# notes2anki: the settings of the deck built from this folder. Only the name is needed.

# The deck's name in Anki; every "# heading" in the notes becomes a subdeck of it.
name = {json.dumps(deck_name_of(name), ensure_ascii=False)}

# major.minor; notes2anki adds the patch number, counted up by every build that changes the deck.
version = "{DEFAULT_VERSION}"

# Shown on the deck's overview screen in Anki.
# description = "My notes for ..."

# What each card's Source field shows: "obsidian", a link that opens the note in Obsidian (the
# default inside a vault), or "path", the note's file.
# source = "obsidian"

# What `notes2anki sync` does to a note whose fact left the notes: "suspend" its cards and tag it
# notes2anki::removed (the default; a fact that comes back is active again), or "delete" it.
# removed = "suspend"

# The kinds of card to make (default: all).
# rules = [{rules}]

# Words that join subjects in a section title ("SQS vs SNS"); each list given replaces its default.
# [compare]
# versus = [{versus}]
"""
