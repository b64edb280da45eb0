"""Run a build: compile files (reusing what has not changed), then write every output at once.

Entry point: ``build`` compiles a notes folder into a deck file, its ledger and changelog.
"""

from notes2anki.building.options import BuildOptions
from notes2anki.building.pipeline import build

__all__ = ["BuildOptions", "build"]
