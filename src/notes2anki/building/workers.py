"""Compile notes files on every core: each file's cards depend on that file alone."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from functools import partial

from notes2anki.building.interrupts import held
from notes2anki.building.settled import SettledStore
from notes2anki.building.setup import Job, Setup
from notes2anki.building.units import FileCache, FileResult, compile_file
from notes2anki.cards.templates import Templates, load_templates
from notes2anki.model import Document, SourceFile
from notes2anki.reading.config import DeckConfig
from notes2anki.reading.sections import read_document

# Below this much text a second process costs more than it saves.
PARALLEL_MIN_BYTES = 512_000
PARENT_CHECK_SECONDS = 0.5


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


class Compiling:
    """Files being compiled, but for those the cache holds; started at once, taken in order."""

    def __init__(self, setup: Setup, numbers: Sequence[int], alongside: bool = False) -> None:
        # Alongside: on another process, even for one small file, while this one reads.
        options = setup.options
        self.keys = [setup.keys[number] for number in numbers]
        self.cache = setup.cache
        self.report = options.progress or _silent
        self.found = [_cached(self.cache, key) if self.cache else None for key in self.keys]
        missing = [
            setup.files[number]
            for number, result in zip(numbers, self.found, strict=True)
            if result is None
        ]
        workers = worker_count(missing, options.jobs)
        self.compilation = compile_sources(
            missing,
            setup.job,
            setup.templates,
            workers,
            alongside=alongside and options.jobs != 1,
        )
        # The files whose compilation the cache held: a build tells which when asked.
        self.cached = frozenset(
            number for number, result in zip(numbers, self.found, strict=True) if result
        )
        self.done = len(self.keys) - len(missing)
        self.report("making cards", self.done, len(self.keys))

    def results(self) -> Generator[tuple[FileResult, Callable[[FileResult], None]]]:
        """Yield each file's result in file order as soon as it is in, and how to keep it."""
        # The caller keeps a result (in the cache, if it was compiled now) once it has taken
        # from it what it needs: what it keeps may leave out what it has used.
        with closing(self.compilation) as compiled:
            for key, found in zip(self.keys, self.found, strict=True):
                if found is not None:
                    yield found, _kept
                    continue
                yield next(compiled), partial(self._keep, key)

    def _keep(self, key: str, result: FileResult) -> None:
        if self.cache:
            self.cache.put(key, result)
        self.done += 1
        self.report("making cards", self.done, len(self.keys))

    def close(self) -> None:
        """Stop compiling, when the results are not wanted after all."""
        self.compilation.close()


def _cached(cache: FileCache, key: str) -> FileResult | None:
    """Return a file's cached compilation, kept as such or as the notes it settled into."""
    found = cache.get(key)
    if found is None:
        settled = SettledStore(cache.folder, cache.environment).get(key)
        found = settled.compiled() if settled is not None else None
    return found


def _kept(result: FileResult) -> None:
    """Keep nothing: the result came from the cache."""


def _silent(stage: str, done: int, total: int) -> None:
    """Report nothing."""
