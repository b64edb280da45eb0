"""Bundle the local images a field shows under content-hashed names; refuse paths that leave."""

from __future__ import annotations

import hashlib
import re
from html import escape, unescape
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from notes2anki.errors import NotesError
from notes2anki.frozen import frozen
from notes2anki.model import Loc
from notes2anki.reading.obsidian import find_attachment
from notes2anki.reading.vault import AUDIO_SUFFIXES, IMAGE_SUFFIXES

_IMAGE = re.compile(r"<img\b[^>]*>")
# "[audio](clip.ogg)": a link to a sound file of the notes is the sound.
_SOUND_LINK = re.compile(r'<a\b[^>]*\bhref="([^"]*)"[^>]*>.*?</a>', re.DOTALL)
_SOURCE = re.compile(r'\bsrc="([^"]*)"')
_ALT = re.compile(r'\balt="([^"]*)"')
_SIZE = re.compile(r"\|(\d{1,5})(?:x(\d{1,5}))?$")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# Only pictures and sounds are bundled: a script or page shipped as media could be loaded by
# other markup (the suffixes are in vault.py, which reads embeds by them).


@frozen
class Bundled:
    """A field with its image references rewritten, the files to ship, and what went wrong."""

    html: str
    files: tuple[tuple[str, bytes], ...] = ()
    warnings: tuple[NotesError, ...] = ()


def bundle_images(html: str, loc: Loc, notes_dir: Path) -> Bundled:
    """Point each local image at a bundled copy named by its content; drop unsafe or lost ones."""
    if "<img" not in html and 'href="' not in html:
        return Bundled(html)
    files: list[tuple[str, bytes]] = []
    warnings: list[NotesError] = []

    def bundled(reference: str) -> tuple[str, Path] | str:
        found = _local_file(reference, loc, notes_dir)
        if isinstance(found, str):
            return found
        data = found.read_bytes()
        name = f"n2a-{hashlib.sha256(data).hexdigest()[:16]}{found.suffix.lower()}"
        files.append((name, data))
        return name, found

    def picture(match: re.Match[str]) -> str:
        tag = match.group()
        source = _SOURCE.search(tag)
        if source is None:
            return _alt_text(tag)
        reference = unescape(source.group(1))
        if _SCHEME.match(reference):
            return tag  # a remote image stays a link; Anki shows it when online
        found = bundled(reference)
        if isinstance(found, str):
            warnings.append(NotesError(loc, found))
            return _alt_text(tag)
        name, path = found
        if path.suffix.lower() in AUDIO_SUFFIXES:
            return f"[sound:{name}]"  # "![[clip.mp3]]": Anki plays it
        return _sized(tag.replace(source.group(0), f'src="{escape(name)}"'))

    def sound(match: re.Match[str]) -> str:
        reference = unescape(match.group(1))
        suffix = PurePosixPath(reference.split("?")[0].split("#")[0]).suffix.lower()
        if _SCHEME.match(reference) or suffix not in AUDIO_SUFFIXES:
            return match.group()
        found = bundled(reference)
        if isinstance(found, str):
            warnings.append(NotesError(loc, found))
            return match.group()
        return f"[sound:{found[0]}]"

    rewritten = _IMAGE.sub(picture, html) if "<img" in html else html
    if 'href="' in rewritten:
        rewritten = _SOUND_LINK.sub(sound, rewritten)
    return Bundled(rewritten, tuple(files), tuple(warnings))


def _local_file(reference: str, loc: Loc, notes_dir: Path) -> Path | str:
    """Find a referenced picture or sound inside the notes folder, or say why it is not bundled."""
    path_text = unquote(reference.split("#")[0].split("?")[0])
    reference = unquote(reference)  # named as the notes write it: "Pasted image 1.png"
    what = "sound" if PurePosixPath(path_text).suffix.lower() in AUDIO_SUFFIXES else "image"
    if PurePosixPath(path_text).is_absolute() or re.match(r"^[a-zA-Z]:[\\/]", path_text):
        return f"{what} {reference!r} has an absolute path; only the notes folder's are bundled"
    root = notes_dir.resolve()
    candidate = (root / Path(loc.path).parent / path_text).resolve()
    if not candidate.is_relative_to(root):
        return f"{what} {reference!r} is outside the notes folder; it was not bundled"
    if not candidate.is_file():
        # Obsidian finds "![[diagram.png]]" from the vault's root, its attachment folder, or by
        # its name anywhere in the vault.
        found = find_attachment(path_text, loc.path, root)
        if found is None:
            return f"{what} {reference!r} not found"
        candidate = found.resolve()
        if not candidate.is_relative_to(root):
            return f"{what} {reference!r} is outside the notes folder; it was not bundled"
    if candidate.suffix.lower() not in IMAGE_SUFFIXES | AUDIO_SUFFIXES:
        return f"{what} {reference!r} is not a picture file; it was not bundled"
    return candidate


def _sized(tag: str) -> str:
    """Size a picture as Obsidian does by its words: "diagram.png|400", "diagram|400x300"."""
    alt = _ALT.search(tag)
    size = _SIZE.search(alt.group(1)) if alt else None
    if alt is None or size is None or "width=" in tag:
        return tag
    width, height = size.group(1), size.group(2)
    shown = f'alt="{alt.group(1)[: size.start()]}" width="{width}"'
    return tag.replace(alt.group(0), shown + (f' height="{height}"' if height else ""))


def _alt_text(tag: str) -> str:
    alt = _ALT.search(tag)
    words = _SIZE.sub("", alt.group(1)) if alt else ""
    return f"[{words}]" if words else ""
