"""Find and read the Markdown files of a notes folder."""

from __future__ import annotations

from pathlib import Path

from notes2anki.errors import NotesError, raise_all
from notes2anki.model import Loc, SourceFile

SUFFIXES = (".md", ".markdown")


def find_sources(notes_dir: Path) -> tuple[Path, ...]:
    """List the notes files below a folder, skipping hidden folders, in a stable order."""
    found = [
        path
        for path in notes_dir.rglob("*")
        if path.suffix.lower() in SUFFIXES
        and path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(notes_dir).parts)
    ]
    return tuple(sorted(found, key=lambda path: path.relative_to(notes_dir).as_posix()))


def read_sources(notes_dir: Path) -> tuple[SourceFile, ...]:
    """Read every notes file as UTF-8 with Unix line endings; report all bad files at once."""
    if not notes_dir.is_dir():
        raise NotesError(str(notes_dir), "no such folder")
    paths = find_sources(notes_dir)
    if not paths:
        raise NotesError(str(notes_dir), "no Markdown files (*.md) in this folder")
    sources: list[SourceFile] = []
    problems: list[NotesError] = []
    for path in paths:
        relative = path.relative_to(notes_dir).as_posix()
        try:
            sources.append(SourceFile(relative, decode(path.read_bytes(), relative)))
        except NotesError as problem:
            problems.append(problem)
        except OSError as exc:
            problems.append(NotesError(Loc(relative, 1), f"cannot read: {exc.strerror}"))
    raise_all(problems)
    return tuple(sources)


def decode(raw: bytes, relative: str) -> str:
    """Decode UTF-8 (with or without a BOM) and normalise CRLF and CR line endings."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise NotesError(Loc(relative, line), "not valid UTF-8; save the file as UTF-8") from None
    # A BOM can also hide inside a file made by joining others; it is never content.
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
