"""notes2anki: compile Markdown study notes into Anki decks."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("notes2anki")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
