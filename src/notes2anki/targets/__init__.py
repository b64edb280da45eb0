"""Put finished notes somewhere: a deck file, a preview page, a user's Anki collection.

Entry points, one a target: ``DeckRows`` (the .apkg), ``write_preview``, ``plan_sync``.
"""

from notes2anki.targets.apkg import DeckRows
from notes2anki.targets.preview import write_preview
from notes2anki.targets.sync import plan_sync

__all__ = ["DeckRows", "plan_sync", "write_preview"]
