"""The command line: the only module that prints or exits."""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import notes2anki
from notes2anki.changelog import CHANGELOG_NAME
from notes2anki.errors import NotesError, NotesErrors
from notes2anki.pipeline import BuildOptions, BuildResult, build, compile_notes
from notes2anki.preview import write_preview
from notes2anki.watch import watch_and_rebuild

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    bar = _ProgressBar(sys.stderr) if sys.stderr.isatty() and not args.quiet else None
    options = BuildOptions(
        notes_dir=Path(args.notes_dir),
        out_dir=Path(args.output),
        templates_dir=Path(args.templates) if args.templates else None,
        strict=args.strict,
        progress=bar,
        jobs=args.jobs,
    )
    if args.command == "watch":
        return _watch(options, verbose=args.verbose, quiet=args.quiet)
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


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive number: {text!r}")
    return int(text)


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


class _Version(argparse.Action):
    """Print the version, read only when asked for, and exit."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        """Print "notes2anki <version>" and exit."""
        print(f"notes2anki {notes2anki.__version__}")
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="notes2anki", description="Turn Markdown study notes into an Anki deck."
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, output, help_text in (
        ("build", "dist", "build dist/<deck>-<version>.apkg from notes"),
        ("preview", "preview", "write preview/index.html showing every card"),
        ("watch", "dist", "build, then rebuild on every save until Ctrl-C"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("notes_dir", nargs="?", default="notes", metavar="NOTES_DIR")
        command.add_argument("-o", "--output", default=output, metavar="OUT_DIR")
        command.add_argument("--templates", metavar="DIR", help="use card templates from DIR")
        command.add_argument("--strict", action="store_true", help="treat warnings as errors")
        command.add_argument(
            "-j",
            "--jobs",
            type=_positive,
            metavar="N",
            help="compile files on N processes (default: one per core for large notes)",
        )
        loudness = command.add_mutually_exclusive_group()
        loudness.add_argument(
            "-v", "--verbose", action="store_true", help="list items that made no card"
        )
        loudness.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    return parser


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

    with contextlib.suppress(KeyboardInterrupt):
        watch_and_rebuild(folders, rebuild, ready)
    return EXIT_OK


def _preview(options: BuildOptions, quiet: bool) -> None:
    compiled = compile_notes(options)
    for warning in compiled.summary.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    preview = write_preview(
        options.out_dir,
        compiled.config.name,
        compiled.notes,
        compiled.templates.anki,
        compiled.media,
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
    print(
        f"  {summary.facts - len(summary.skipped)} of {summary.facts} items on a card "
        f"({summary.covered_share:.0%}); {len(summary.skipped)} made no card"
        + ("" if verbose or not summary.skipped else " (--verbose lists them)")
    )
    if result.changes:
        changelog = result.deck_path.parent / CHANGELOG_NAME
        print(f"  changes: {result.changes.counts()} (see {changelog})")
    else:
        print("  no changes since the last build")
    if verbose:
        for skipped in summary.skipped:
            print(f"  {skipped.loc}: no card: {skipped.reason}")


if __name__ == "__main__":
    sys.exit(main())
