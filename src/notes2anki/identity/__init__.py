"""Know each card again from build to build: the ledger, matching, versions, the changelog.

Entry point: ``Identities`` gives drafts their notes, file by file: GUIDs, note ids, mod times.
"""

from typing import TYPE_CHECKING

from notes2anki.entry_points import loader

if TYPE_CHECKING:
    from notes2anki.identity.identities import Identities

__all__ = ["Identities"]
__getattr__ = loader(__name__, {"Identities": "identities"})
