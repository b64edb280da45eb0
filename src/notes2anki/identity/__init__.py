"""Know each card again from build to build: the ledger, matching, versions, the changelog.

Entry point: ``Identities`` gives drafts their notes, file by file: GUIDs, note ids, mod times.
"""

from notes2anki.identity.identities import Identities

__all__ = ["Identities"]
