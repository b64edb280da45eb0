"""Make cards of facts: the rules, the gate, rendering, media, notetypes, each card's key.

Entry point: ``make_drafts`` renders the cards the rules made of a file into drafts of notes.
"""

from notes2anki.cards.drafts import make_drafts

__all__ = ["make_drafts"]
