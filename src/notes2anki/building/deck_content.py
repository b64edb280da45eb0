"""Reckon what a deck holds: its notetypes' stamps, its content hash, its description."""

from __future__ import annotations

from html import escape

from notes2anki.cards.keys import content_hash
from notes2anki.cards.notetypes import NOTETYPES
from notes2anki.cards.templates import Templates
from notes2anki.identity.entries import Entry, stamp
from notes2anki.identity.ledger import Ledger
from notes2anki.reading.config import DeckConfig
from notes2anki.safety import safe_field
from notes2anki.targets.apkg import notetype_look


def notetype_entries(templates: Templates, ledger: Ledger, clock: int) -> dict[str, Entry]:
    """Stamp each notetype; its mod moves only when its templates or stylesheet change."""
    return {
        notetype.name: stamp(
            ledger.notetypes.get(notetype.name),
            Entry(
                key=str(notetype.id),
                hash=content_hash((notetype_look(notetype, templates.anki),)),
                changed=0,
                source="",
            ),
            clock,
        )
        for notetype in NOTETYPES
    }


def deck_content(config: DeckConfig, notes: dict[str, Entry], notetypes: dict[str, Entry]) -> str:
    """Hash everything a deck file carries except its version: the notes, notetypes and deck."""
    return content_hash(
        (
            config.name,
            config.description,
            # Sorting the GUIDs alone: pairs would be compared as tuples, several times slower.
            *(f"{guid}:{notes[guid].hash}" for guid in sorted(notes)),
            *(f"{name}:{entry.hash}" for name, entry in sorted(notetypes.items())),
        )
    )


def describe(config: DeckConfig, version: str) -> str:
    """Return the root deck's description, with the version a user can check after import."""
    # Anki shows the description as HTML on the deck's screen: it passes the fields' gate.
    shown = f"<p>Version {escape(version)}</p>"
    if config.description:
        shown = f"<p>{escape(config.description, quote=False)}</p>{shown}"
    return safe_field(shown)
