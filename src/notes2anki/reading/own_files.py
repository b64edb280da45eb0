"""Tell the files a build writes from notes: no build reads its own or another build's output."""

from __future__ import annotations

import os
from pathlib import Path

RECORD_NAME = ".notes2anki-build.json"
# Left in a preview's folder, which has no build record, to mark it as output all the same.
PREVIEW_MARK = ".notes2anki-preview"


def is_output(folder: Path, out_dir: Path | None) -> bool:
    """Tell whether a folder holds a build's output: this build's, or any other build's."""
    # A deck's changelog is Markdown: read as notes, the next build would card it.
    if (folder / RECORD_NAME).is_file() or (folder / PREVIEW_MARK).is_file():
        return True
    try:
        return out_dir is not None and os.path.samefile(folder, out_dir)
    except OSError:
        return False


def is_deck_file(path: Path) -> bool:
    """Tell whether a file is a deck package, which no build reads."""
    return path.suffix.lower() in (".apkg", ".colpkg")
