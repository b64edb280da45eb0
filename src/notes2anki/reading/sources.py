"""Find and read the Markdown files of a notes folder."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from notes2anki.errors import NotesError, raise_all
from notes2anki.frozen import frozen
from notes2anki.model import Loc, SourceFile
from notes2anki.reading.obsidian import template_folders
from notes2anki.reading.own_files import is_output

SUFFIXES = (".md", ".markdown")
# A NUL byte this early means a binary file that merely carries a Markdown name.
_BINARY_PROBE = 8192
# No-break spaces (plain, narrow, figure), read as the spaces they show.
_NO_BREAK = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " "})


@frozen
class Sources:
    """The notes files read, and the files passed over with a warning."""

    files: tuple[SourceFile, ...]
    warnings: tuple[NotesError, ...] = ()


def find_sources(notes_dir: Path, out_dir: Path | None = None) -> tuple[Path, ...]:
    """List the notes files below a folder in path order, not entering hidden or linked folders."""
    found: list[Path] = []
    templates = template_folders(notes_dir)
    # Symlinked folders are not entered, so a link loop cannot make the walk go round.
    for folder, subfolders, names in os.walk(notes_dir, followlinks=False):
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith(".")
            and not is_output(Path(folder, name), out_dir)
            and not (templates and _relative(folder, name, notes_dir) in templates)
        )
        found += [
            Path(folder, name)
            for name in names
            if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES
        ]
    return tuple(sorted(found, key=lambda path: path.relative_to(notes_dir).as_posix()))


def _relative(folder: str, name: str, root: Path) -> str:
    return Path(folder, name).relative_to(root).as_posix()


def read_sources(notes_dir: Path, out_dir: Path | None = None, only: str | None = None) -> Sources:
    """Read every notes file as UTF-8 with Unix line endings; report all bad files at once."""
    if not notes_dir.is_dir():
        raise NotesError(str(notes_dir), "no such folder")
    paths = (notes_dir / only,) if only is not None else find_sources(notes_dir, out_dir)
    if not paths:
        raise NotesError(str(notes_dir), "no Markdown files (*.md) in this folder")
    root = notes_dir.resolve()
    sources: list[SourceFile] = []
    problems: list[NotesError] = []
    warnings: list[NotesError] = []
    for path in paths:
        relative = shown_path(path.relative_to(notes_dir))
        if path.is_symlink():
            skipped = _link_problem(path, root)
            if skipped:
                warnings.append(NotesError(Loc(relative, 1), f"{skipped}; skipped"))
                continue
        try:
            raw = path.read_bytes()
        except OSError as exc:
            problems.append(NotesError(Loc(relative, 1), f"cannot read: {exc.strerror or exc}"))
            continue
        if b"\0" in raw[:_BINARY_PROBE]:
            warnings.append(NotesError(Loc(relative, 1), "a binary file, not Markdown; skipped"))
            continue
        try:
            sources.append(SourceFile(relative, decode(raw, relative)))
        except NotesError as problem:
            problems.append(problem)
    raise_all(problems)
    if not sources:
        # Every file was skipped: each is named, with why.
        raise_all([*warnings, NotesError(str(notes_dir), "no readable Markdown files here")])
    return Sources(tuple(sources), tuple(warnings))


def shown_path(path: Path) -> str:
    """Return a relative path as text; bytes that are not UTF-8 in a name show as U+FFFD."""
    # Such bytes come as lone surrogates, which no file, ledger or deck could hold.
    return os.fsencode(path.as_posix()).decode("utf-8", "replace")


def _link_problem(path: Path, root: Path) -> str | None:
    """Say why a symlinked notes file is not read, if it is not."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:
        return "a symlink loop"
    except OSError:
        return "a link to nothing"
    # A shared notes folder must not pull a file from elsewhere into a deck.
    return None if target.is_relative_to(root) else "links outside the notes folder"


def decode(raw: bytes, relative: str) -> str:
    """Decode UTF-8 (with or without a BOM), normalise line endings and Unicode (NFC)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise NotesError(Loc(relative, line), "not valid UTF-8; save the file as UTF-8") from None
    # A BOM can also hide inside a file made by joining others; it is never content.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    if text.isascii():
        return text
    # A no-break space is a space to the eye: pasted from a web page after a bullet or a "#",
    # or put for every space by an editor, it must not unmake a list item or a heading, nor
    # change a single card.
    if "\u00a0" in text or "\u202f" in text or "\u2007" in text:
        text = text.translate(_NO_BREAK)
    # Anki stores note text in NFC: the notes are read so, before anything is sanitized.
    return unicodedata.normalize("NFC", text)
