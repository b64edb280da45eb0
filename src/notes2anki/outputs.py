"""Write a build's files all or nothing: each to a temporary file first, then renamed in order."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from notes2anki.errors import NotesError

_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class _Staged:
    path: Path
    temporary: Path
    sha256: str
    size: int


class Outputs:
    """Files written beside their destinations, put in place together by `commit`."""

    def __init__(self) -> None:
        self.staged: list[_Staged] = []

    def __enter__(self) -> Outputs:
        """Start with nothing staged."""
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Remove whatever was staged and not committed."""
        for staged in self.staged:
            staged.temporary.unlink(missing_ok=True)
        self.staged.clear()

    def add(self, path: Path, write: Callable[[BinaryIO], None]) -> str:
        """Write a file's new content beside it and return the content's SHA-256."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # A build killed while writing can leave its temporary file; it is never a result.
            for stale in path.parent.glob(f".{path.name}.*.tmp"):
                stale.unlink(missing_ok=True)
            handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        except OSError as exc:
            raise _cannot_write(exc, path) from None
        temporary = Path(name)
        try:
            with os.fdopen(handle, "wb") as stream:
                write(stream)
                stream.flush()
                os.fsync(stream.fileno())
            staged = _Staged(path, temporary, file_sha256(temporary), temporary.stat().st_size)
        except BaseException as exc:
            temporary.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise _cannot_write(exc, path) from None
            raise
        self.staged.append(staged)
        return staged.sha256

    def add_bytes(self, path: Path, data: bytes) -> str:
        """Stage a file's new bytes and return their SHA-256."""

        def write(stream: BinaryIO) -> None:
            stream.write(data)

        return self.add(path, write)

    def commit(self) -> None:
        """Put every staged file in place, in the order staged; leave unchanged files alone."""
        try:
            for staged in self.staged:
                if _same(staged):
                    staged.temporary.unlink(missing_ok=True)
                else:
                    os.replace(staged.temporary, staged.path)
        except OSError as exc:
            raise _cannot_write(exc, self.staged[0].path) from None
        finally:
            self.staged.clear()


def file_sha256(path: Path) -> str:
    """Hash a file's bytes a chunk at a time, or return "" when there is no such file."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return ""
    return digest.hexdigest()


def _same(staged: _Staged) -> bool:
    try:
        size = staged.path.stat().st_size
    except OSError:
        return False
    return size == staged.size and file_sha256(staged.path) == staged.sha256


def _cannot_write(exc: OSError, path: Path) -> NotesError:
    where = exc.filename or path.parent
    return NotesError(str(where), f"cannot write: {exc.strerror or exc}")
