"""Read a notes folder: its files, their sections and facts, its settings, vault syntax.

Entry point: ``read_document`` turns one notes file into its tree of sections and items.
"""

from typing import TYPE_CHECKING

from notes2anki.entry_points import loader

if TYPE_CHECKING:
    from notes2anki.reading.sections import read_document

__all__ = ["read_document"]
__getattr__ = loader(__name__, {"read_document": "sections"})
