"""Read a notes folder: its files, their sections and facts, its settings, vault syntax.

Entry point: ``read_document`` turns one notes file into its tree of sections and items.
"""

from notes2anki.reading.sections import read_document

__all__ = ["read_document"]
