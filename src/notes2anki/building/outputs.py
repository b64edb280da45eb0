"""Write a build's files all or nothing: each to a temporary file first, then renamed in order."""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from notes2anki.building.interrupts import held
from notes2anki.errors import NotesError
from notes2anki.frozen import frozen

_CHUNK = 1 << 20


def _new_file_mode() -> int:
    """Return the mode a file made here gets: read and write for all, less the umask."""
    # Setting the umask is the only way to read it; done once, on import, before any thread.
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


_NEW_FILE_MODE = _new_file_mode()


@frozen
class Staged:
    """A file written in full beside the one it is to replace, and its content's SHA-256."""

    path: Path
    temporary: Path
    sha256: str
    size: int


class Outputs:
    """Files written beside their destinations, put in place together by `commit`."""

    def __init__(self) -> None:
        self.slots: list[Future[Staged]] = []
        self.background = ThreadPoolExecutor(1, thread_name_prefix="notes2anki-write")
        self.names: dict[int, str] = {}  # slot number -> the file name it was given later

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
        self.background.shutdown(wait=True, cancel_futures=True)
        for slot in self.slots:
            if slot.done() and not slot.cancelled() and slot.exception() is None:
                slot.result().temporary.unlink(missing_ok=True)
        self.slots.clear()
        self.names.clear()

    def add(self, path: Path, write: Callable[[BinaryIO], None]) -> Staged:
        """Write a file's new content beside it."""
        slot: Future[Staged] = Future()
        slot.set_result(_stage(path, write))
        self.slots.append(slot)
        return slot.result()

    def add_in_background(self, path: Path, write: Callable[[BinaryIO], None]) -> Future[Staged]:
        """Write a file's new content beside it on another thread, while this one goes on."""
        slot = self.background.submit(_stage, path, write)
        self.slots.append(slot)
        return slot

    def rename(self, slot: Future[Staged], name: str) -> None:
        """Put a file staged in the background in place under a name found meanwhile."""
        self.names[self.slots.index(slot)] = name

    def add_bytes(self, path: Path, data: bytes) -> Staged:
        """Write a file's new bytes beside it."""

        def write(stream: BinaryIO) -> None:
            stream.write(data)

        return self.add(path, write)

    def commit(self) -> None:
        """Put every staged file in place, in the order staged; leave unchanged files alone."""
        staged = [
            replace(one, path=one.path.with_name(self.names[number]))
            if number in self.names
            else one
            for number, one in enumerate(slot.result() for slot in self.slots)
        ]
        try:
            with held():
                for one in staged:
                    if _same(one):
                        one.temporary.unlink(missing_ok=True)
                    else:
                        os.replace(one.temporary, one.path)
        except OSError as exc:
            raise _cannot_write(exc, staged[0].path) from None
        finally:
            self.slots.clear()
            self.names.clear()


def _stage(path: Path, write: Callable[[BinaryIO], None]) -> Staged:
    """Write a file's new content to a temporary file beside it."""
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
        # A temporary file is private to its maker; the file it becomes is not: it keeps the
        # mode of the one it replaces, or gets a new file's.
        os.chmod(temporary, _mode_of(path))
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        return Staged(path, temporary, file_sha256(temporary), temporary.stat().st_size)
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _cannot_write(exc, path) from None
        raise


def _mode_of(path: Path) -> int:
    """Return the permission bits of the file at path, or a new file's when there is none."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return _NEW_FILE_MODE


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


def _same(staged: Staged) -> bool:
    """Tell whether the file in place already has the staged content."""
    try:
        size = staged.path.stat().st_size
    except OSError:
        return False
    return size == staged.size and file_sha256(staged.path) == staged.sha256


def _cannot_write(exc: OSError, path: Path) -> NotesError:
    where = exc.filename or path.parent
    return NotesError(str(where), f"cannot write: {exc.strerror or exc}")


def remove_older_decks(deck: Path, slug: str) -> tuple[Path, ...]:
    """Remove the other versions of a deck's file from its folder; return what went."""
    # Only names this tool gives the same deck: "<slug>-<major>.<minor>.<patch>.apkg".
    version_of_deck = re.compile(rf"{re.escape(slug)}-\d+\.\d+\.\d+\.apkg")
    removed = []
    for path in sorted(deck.parent.glob("*.apkg")):
        if path.name != deck.name and version_of_deck.fullmatch(path.name):
            path.unlink(missing_ok=True)
            removed.append(path)
    return tuple(removed)
