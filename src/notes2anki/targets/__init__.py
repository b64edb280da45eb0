"""Put finished notes somewhere: a deck file, a preview page, a user's Anki collection.

Entry points, one a target: ``DeckRows`` (the .apkg), ``write_preview``, ``plan_sync``.
"""

from typing import TYPE_CHECKING

from notes2anki.entry_points import loader

if TYPE_CHECKING:
    from notes2anki.targets.apkg import DeckRows
    from notes2anki.targets.preview import write_preview
    from notes2anki.targets.sync import plan_sync

__all__ = ["DeckRows", "plan_sync", "write_preview"]
__getattr__ = loader(
    __name__, {"DeckRows": "apkg", "write_preview": "preview", "plan_sync": "sync"}
)
