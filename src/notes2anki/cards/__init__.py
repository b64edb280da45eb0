"""Make cards of facts: the rules, the gate, rendering, media, notetypes, each card's key.

Entry point: ``make_drafts`` renders the cards the rules made of a file into drafts of notes.
"""

from typing import TYPE_CHECKING

from notes2anki.entry_points import loader

if TYPE_CHECKING:
    from notes2anki.cards.drafts import make_drafts

__all__ = ["make_drafts"]
__getattr__ = loader(__name__, {"make_drafts": "drafts"})
