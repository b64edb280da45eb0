"""Find a user's Anki collection: in Anki's own folder of profiles, or where it is named."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from notes2anki.errors import NotesError

COLLECTION_FILE = "collection.anki2"


def anki_folder(
    environ: Mapping[str, str] | None = None, platform: str | None = None, home: Path | None = None
) -> Path:
    """Return the folder where Anki keeps its profiles on this system."""
    # The places Anki's desktop uses: ANKI_BASE (its -b), else the system's data folder.
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    home = Path.home() if home is None else home
    if environ.get("ANKI_BASE"):
        return Path(environ["ANKI_BASE"])
    if platform == "win32":
        return Path(environ.get("APPDATA") or home / "AppData" / "Roaming") / "Anki2"
    if platform == "darwin":
        return home / "Library" / "Application Support" / "Anki2"
    return Path(environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "Anki2"


def profiles(folder: Path) -> list[str]:
    """Name the profiles in Anki's folder: its subfolders that hold a collection."""
    if not folder.is_dir():
        return []
    return sorted(entry.name for entry in folder.iterdir() if (entry / COLLECTION_FILE).is_file())


def find_collection(
    profile: str | None = None, collection: str | None = None, folder: Path | None = None
) -> Path:
    """Return the collection file to sync into: the one named, the profile's, or the only one."""
    if collection is not None:
        path = Path(collection)
        if path.is_dir():
            path = path / COLLECTION_FILE
        if not path.is_file():
            raise NotesError(collection, "no Anki collection there")
        return path.resolve()
    folder = anki_folder() if folder is None else folder
    found = profiles(folder)
    if profile is not None:
        if profile not in found:
            known = ", ".join(found) or "none"
            raise NotesError(str(folder / profile), f"no such Anki profile (profiles: {known})")
        return folder / profile / COLLECTION_FILE
    if len(found) == 1:
        return folder / found[0] / COLLECTION_FILE
    if not found:
        raise NotesError(str(folder), "no Anki profile here: name the collection with --collection")
    names = ", ".join(found)
    raise NotesError(str(folder), f"several Anki profiles ({names}): name one with --profile")
