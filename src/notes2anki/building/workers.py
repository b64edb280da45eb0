"""Compile notes files on every core: each file's cards depend on that file alone."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from notes2anki.building.interrupts import held
from notes2anki.building.units import FileResult, compile_file
from notes2anki.cards.render import Templates, load_templates
from notes2anki.frozen import frozen
from notes2anki.model import Document, SourceFile
from notes2anki.reading.config import DeckConfig
from notes2anki.reading.sections import read_document

# Below this much text a second process costs more than it saves.
PARALLEL_MIN_BYTES = 512_000
PARENT_CHECK_SECONDS = 0.5


@frozen
class Job:
    """What every file's compilation shares: the deck's config, templates and notes folder."""

    config: DeckConfig
    templates_dir: Path
    notes_dir: Path


def worker_count(sources: Sequence[SourceFile], asked: int | None) -> int:
    """Choose how many processes compile: as asked, else one per core for enough text."""
    if asked is not None:
        return max(1, min(asked, len(sources)))
    if sum(len(source.text) for source in sources) < PARALLEL_MIN_BYTES:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, len(sources)))


def compile_sources(
    sources: Sequence[SourceFile],
    job: Job,
    templates: Templates,
    workers: int,
    alongside: bool = False,
) -> Compilation:
    """Start compiling files: here as their results are asked for, or by a pool of processes."""
    # Alongside: on another process even when one is enough, while this one does other work.
    if workers <= 1 and not (alongside and sources):
        return Compilation(
            compile_file(_read(source, job.config), job.config, templates, job.notes_dir)
            for source in sources
        )
    pool = ProcessPoolExecutor(
        workers, mp_context=_context(), initializer=_start_worker, initargs=(job, os.getpid())
    )
    # In file order: the build takes each result in turn as soon as it comes, while the later
    # files are still being compiled. The workers are forked while these are submitted.
    with held():
        futures = [pool.submit(_compile, source) for source in sources]
    return Compilation((future.result() for future in futures), pool)


class Compilation:
    """Files' results in their order, as they come; closed, it stops the processes at work."""

    def __init__(self, results: Iterator[FileResult], pool: ProcessPoolExecutor | None = None):
        self.results = results
        self.pool = pool

    def __iter__(self) -> Iterator[FileResult]:
        """Return itself: results are taken once."""
        return self

    def __next__(self) -> FileResult:
        """Return the next file's result, waiting for it if need be."""
        return next(self.results)

    def close(self) -> None:
        """Stop compiling: drop the files not started, and wait for the processes to end."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _context() -> multiprocessing.context.BaseContext:
    # Forking starts a worker without importing anything again; elsewhere, start afresh.
    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


_job: Job | None = None
_templates: Templates | None = None


def _start_worker(job: Job, parent: int) -> None:
    global _job, _templates
    # Ctrl-C reaches every process of the terminal's group: the build that started this one
    # stops it, quietly; on its own it would print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()  # as in the build that started it (pipeline.collector_paused), when spawned
    _job, _templates = job, load_templates(job.templates_dir)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int) -> None:
    # A build killed outright cannot stop its workers; they notice it gone and stop themselves
    # instead of waiting for work forever.
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _compile(source: SourceFile) -> FileResult:
    assert _job is not None and _templates is not None
    return compile_file(_read(source, _job.config), _job.config, _templates, _job.notes_dir)


def _read(source: SourceFile, config: DeckConfig) -> Document:
    """Parse a notes file as its deck reads it: in a vault or not, with the notes' blocks."""
    return read_document(source, config.obsidian, config.blocks)
