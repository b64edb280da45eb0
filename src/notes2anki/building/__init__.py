"""Run a build: compile files (reusing what has not changed), then write every output at once.

Entry point: ``build`` compiles a notes folder into a deck file, its ledger and changelog.
"""

from typing import TYPE_CHECKING

from notes2anki.entry_points import loader

if TYPE_CHECKING:
    from notes2anki.building.options import BuildOptions
    from notes2anki.building.pipeline import build

__all__ = ["BuildOptions", "build"]
__getattr__ = loader(__name__, {"BuildOptions": "options", "build": "pipeline"})
