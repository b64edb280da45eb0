"""Run the commands: with arguments.py, the only place that prints or exits."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from notes2anki.arguments import notes_place
from notes2anki.arguments import parser as command_line
from notes2anki.building.options import BuildOptions, BuildResult
from notes2anki.building.pipeline import build
from notes2anki.building.watch import watch_and_rebuild
from notes2anki.errors import NotesError, NotesErrors
from notes2anki.identity.changelog import CHANGELOG_NAME
from notes2anki.reading.config import CONFIG_NAME
from notes2anki.reading.decks import name_of_folder
from notes2anki.records import NOTICE
from notes2anki.targets.profiles import find_collection

# The stages a command needs are imported when it runs (init, preview and sync below; a build
# loads them once it finds work to do): `notes2anki build` with nothing changed answers in half
# the time.

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2
# What a shell reports for a program stopped by Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    try:
        return _run(argv)
    except KeyboardInterrupt:
        # Ctrl-C is how a user stops a build or a watch: no traceback. Files are put in
        # place all or nothing, so an interrupted build wrote nothing.
        return EXIT_INTERRUPTED


def _run(argv: Sequence[str] | None) -> int:
    parser = command_line()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if args.command == "init":
        return _init(Path(args.folder), args.name)
    try:
        notes_dir, only = notes_place(args.notes)
    except NotesError as error:
        _print_problems(error, "nothing was written.")
        return EXIT_BAD_INPUT
    out_dir = Path(args.output)
    if out_dir.resolve() == notes_dir.resolve():
        print(f"error: {out_dir}: the output folder cannot be the notes folder", file=sys.stderr)
        return EXIT_USAGE
    bar = _ProgressBar(sys.stderr) if sys.stderr.isatty() and not args.quiet else None
    options = BuildOptions(
        notes_dir=notes_dir,
        out_dir=out_dir,
        templates_dir=Path(args.templates) if args.templates else None,
        strict=args.strict,
        progress=bar,
        jobs=args.jobs,
        only=only,
        keep=getattr(args, "keep", False),
    )
    if args.command == "watch":
        return _watch(options, verbose=args.verbose, quiet=args.quiet)
    if args.command == "sync":
        return _sync(options, args, bar)
    try:
        if args.command == "preview":
            _preview(options, quiet=args.quiet)
            return EXIT_OK
        result = build(options)
    except NotesError as error:
        if bar:
            bar.close()
        _print_problems(error, "nothing was written.")
        return EXIT_BAD_INPUT
    if bar:
        bar.close()
    _report(result, verbose=args.verbose, quiet=args.quiet)
    return EXIT_OK


def _sync(options: BuildOptions, args: argparse.Namespace, bar: _ProgressBar | None) -> int:
    """Build, then sync the deck into the user's Anki collection; print what it did."""
    from notes2anki.building.syncing import sync

    try:
        result = sync(options, find_collection(args.profile, args.collection), dry_run=args.dry_run)
    except NotesError as error:
        if bar:
            bar.close()
        _print_problems(error, "nothing was changed.")
        return EXIT_BAD_INPUT
    if bar:
        bar.close()
    if result.built is not None:
        _report(result.built, verbose=args.verbose, quiet=args.quiet)
    plan = result.plan
    if args.quiet and not args.dry_run:
        return EXIT_OK
    if args.dry_run:
        print(f"{result.collection} (dry run, nothing changed): would be {plan.counts()}")
    elif plan.changes():
        print(f"  synced into {result.collection}: {plan.counts()}")
    else:
        print(f"  {result.collection} already holds this deck: nothing to change")
    if args.verbose or args.dry_run:
        for deck, cards in sorted(plan.moved.items()):
            print(f"  {len(cards)} cards to {deck}")
        if plan.kept:
            print(f"  {len(plan.kept)} notes' cards stay in the decks you moved them to")
    return EXIT_OK


def _print_problems(error: NotesError, outcome: str) -> None:
    problems = error.problems if isinstance(error, NotesErrors) else (error,)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    count = f"{len(problems)} problems; " if len(problems) > 1 else ""
    print(f"{count}{outcome}", file=sys.stderr, flush=True)


class _ProgressBar:
    """Draw a one-line progress bar on a terminal, once a build has run for about a second."""

    WIDTH = 24
    DELAY = 1.0
    INTERVAL = 0.1

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.start = time.monotonic()
        self.last = 0.0
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        """Show how far a stage has come, at most ten times a second."""
        now = time.monotonic()
        if now - self.start < self.DELAY or (now - self.last < self.INTERVAL and done < total):
            return
        self.last, self.shown = now, True
        filled = self.WIDTH * done // max(total, 1)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r{stage:<14} [{bar}] {done}/{total}\x1b[K")
        self.stream.flush()

    def close(self) -> None:
        """Clear the bar's line, if it was ever drawn."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _init(folder: Path, name: str | None) -> int:
    """Write a starter deck.toml into a folder, never over one that is there."""
    from notes2anki.cards.rules import rule_names
    from notes2anki.reading.starter import starter_config

    path = folder / CONFIG_NAME
    if not folder.is_dir():
        print(f"error: {folder}: no such folder", file=sys.stderr)
        return EXIT_BAD_INPUT
    if path.exists():
        print(f"error: {path}: already exists; nothing was written", file=sys.stderr)
        return EXIT_BAD_INPUT
    default = name_of_folder(folder.resolve().name)
    if name is None and sys.stdin.isatty():
        name = input(f"Deck name [{default}]: ")
    name = name.strip() if name and name.strip() else default
    try:
        with path.open("x", encoding="utf-8") as stream:
            stream.write(starter_config(name, rule_names()))
    except OSError as exc:
        print(f"error: {path}: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"wrote {path} (deck {name!r}); build with: notes2anki build {folder}")
    return EXIT_OK


def _watch(options: BuildOptions, verbose: bool, quiet: bool) -> int:
    """Build now and after every save; report broken notes and keep the last good deck."""

    def rebuild(names: tuple[str, ...]) -> None:
        if names:
            print(f"changed: {', '.join(names)}", flush=True)
        try:
            _report(build(options), verbose=verbose, quiet=quiet)
        except NotesError as error:
            _print_problems(error, "the last good deck stays; waiting for the next save.")
        sys.stdout.flush()

    folders = tuple(
        folder for folder in (options.notes_dir, options.templates_dir) if folder is not None
    )
    if not options.notes_dir.is_dir():
        print(f"error: {options.notes_dir}: no such folder", file=sys.stderr)
        return EXIT_BAD_INPUT
    rebuild(())

    def ready() -> None:
        print(f"watching {', '.join(str(f) for f in folders)} (Ctrl-C stops)", flush=True)

    # Ctrl-C ends the watch, as it ends a build: main turns it into exit code 130.
    watch_and_rebuild(folders, options.out_dir, rebuild, ready)
    return EXIT_OK


def _preview(options: BuildOptions, quiet: bool) -> None:
    from notes2anki.building.compiling import compile_notes
    from notes2anki.targets.preview import Shown, write_preview

    compiled = compile_notes(options)
    for warning in compiled.summary.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    preview = write_preview(
        options.out_dir,
        Shown(
            compiled.config.name,
            compiled.notes,
            compiled.templates.anki,
            compiled.media,
            compiled.summary.skipped,
        ),
    )
    if not quiet:
        print(f"{compiled.config.name}: {preview.cards} cards -> {preview.page}")


def _report(result: BuildResult, verbose: bool, quiet: bool) -> None:
    summary = result.summary
    for warning in summary.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if quiet:
        return
    kinds = ", ".join(f"{count} {kind}" for kind, count in summary.notes_per_kind)
    print(f"{result.config.name} {result.version} -> {result.deck_path}")
    print(
        f"  {summary.files} files, {summary.sections} sections, {summary.facts} facts; "
        f"notes: {kinds}; {summary.cards} cards"
    )
    left_out = summary.left_out
    print(
        f"  {summary.facts - summary.uncarded} of {summary.facts} items on a card "
        f"({summary.covered_share:.0%}); {summary.uncarded} made no card"
        + (f", {left_out} more cards left out" if left_out else "")
        + ("" if verbose or not (left_out or summary.uncarded) else " (--verbose lists them)")
    )
    if result.removed:
        print(f"  removed older deck files: {', '.join(path.name for path in result.removed)}")
    if result.changes:
        changelog = result.deck_path.parent / CHANGELOG_NAME
        print(f"  changes: {result.changes.counts()} (see {changelog})")
    else:
        print("  no changes since the last build")
    if verbose:
        _report_reuse(result)
        for skipped in summary.skipped:
            if skipped.card == NOTICE:
                print(f"  {skipped.loc}: {skipped.reason}")
                continue
            what = f"{skipped.card} card left out" if skipped.card else "no card"
            print(f"  {skipped.loc}: {what}: {skipped.reason}")


def _report_reuse(result: BuildResult) -> None:
    """Name each file whose notes the build reused, or compiled, and why."""
    if not result.decisions:
        print("  nothing it reads changed since the last build: its deck is reused")
    for decision in result.decisions:
        done = "reused" if decision.reused else "compiled"
        print(f"  {decision.path}: {done}: {decision.reason}")


if __name__ == "__main__":
    sys.exit(main())
