"""Read an Obsidian vault's settings, and find a note's image or sound as Obsidian does."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path, PurePosixPath

from notes2anki.reading.own_files import is_output

OBSIDIAN = ".obsidian"
# Where the vault's settings say new attachments go: "/" is the vault's root, "./" the note's
# folder, "./assets" a folder beside the note, "attachments" a folder of the vault.
_APP_SETTINGS = "app.json"
_ATTACHMENT_KEY = "attachmentFolderPath"
# The folders of note templates ("{{date}}" pages to copy), of the core plugin and of Templater.
_TEMPLATE_SETTINGS = (
    ("templates.json", "folder"),
    ("plugins/templater-obsidian/data.json", "templates_folder"),
)

# Each vault's files by name, made when a name is first looked for and made again when one is
# not found: a name found stays found while its file is there.
_by_name: dict[Path, dict[str, Path]] = {}


def find_attachment(reference: str, note: str, root: Path) -> Path | None:
    """Find the file a note names: beside the note, from the vault's root, then by its name."""
    # "diagram.png" beside the note; "attachments/diagram.png" from the vault's root; then the
    # attachment folder; then a file of that name anywhere in the vault, the first by path.
    folder = root / PurePosixPath(note).parent
    candidates = [folder / reference, root / reference]
    attachments = attachment_folder(root)
    if attachments is not None:
        base = folder if attachments.startswith("./") or attachments == "." else root
        candidates.append(base / attachments.removeprefix("./") / reference)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    name = PurePosixPath(reference).name.casefold()
    found = _by_name.get(root, {}).get(name)
    if found is None or not found.is_file():
        _by_name[root] = _index(root)
        found = _by_name[root].get(name)
    return found


def vault_of(folder: Path) -> Path | None:
    """Return the Obsidian vault a folder is, or is inside of; None outside a vault."""
    folder = folder.resolve()
    return next((place for place in (folder, *folder.parents) if (place / OBSIDIAN).is_dir()), None)


def vault_settings(folder: Path) -> str:
    """Say what of a vault's settings a build of a folder reads: where it is, and its folders."""
    vault = vault_of(folder)
    if vault is None:
        return ""
    return repr((str(vault), attachment_folder(folder), sorted(template_folders(folder))))


def attachment_folder(root: Path) -> str | None:
    """Return the attachment folder a vault's settings name, or None outside a vault."""
    settings = root / OBSIDIAN / _APP_SETTINGS
    try:
        stamp = settings.stat().st_mtime_ns
    except OSError:
        return None
    return _read_attachment_folder(settings, stamp)


@lru_cache(maxsize=16)
def _read_attachment_folder(settings: Path, stamp: int) -> str | None:
    value = _setting(settings, _ATTACHMENT_KEY)
    return None if value is None or value == "/" else value.rstrip("/")


def template_folders(root: Path) -> frozenset[str]:
    """Return the vault's folders of note templates, which hold no notes to learn."""
    found = (_setting(root / OBSIDIAN / name, key) for name, key in _TEMPLATE_SETTINGS)
    return frozenset(
        PurePosixPath(folder.strip("/")).as_posix()
        for folder in found
        if folder and folder.strip("/")
    )


def _setting(path: Path, key: str) -> str | None:
    """Read one text setting of a vault's JSON settings file, or None."""
    try:
        value = json.loads(path.read_text(encoding="utf-8")).get(key)
    except (OSError, ValueError, AttributeError):
        return None  # no such file, or one the app itself would not read: nothing set
    return value.strip() if isinstance(value, str) and value.strip() else None


def _index(root: Path) -> dict[str, Path]:
    """Map each file name below a folder (folded) to its first path, hidden folders left out."""
    found: dict[str, Path] = {}
    for folder, subfolders, names in os.walk(root, followlinks=False):
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith(".") and not is_output(Path(folder, name), None)
        )
        for name in sorted(names):
            found.setdefault(name.casefold(), Path(folder, name))
    return found
