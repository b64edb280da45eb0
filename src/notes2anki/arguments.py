"""Read the command line: its commands, their options, and the notes they name."""

from __future__ import annotations

import argparse
from pathlib import Path

import notes2anki
from notes2anki.errors import NotesError
from notes2anki.identity.ledger import LEDGER_NAME
from notes2anki.reading.config import CONFIG_NAME
from notes2anki.reading.sources import SUFFIXES


def positive(text: str) -> int:
    """Read a positive whole number, as -j takes."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive number: {text!r}")
    return int(text)


class _Version(argparse.Action):
    """Print the version, read only when asked for, and exit."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        """Print "notes2anki <version>" and exit."""
        print(f"notes2anki {notes2anki.__version__}")
        parser.exit()


_EXAMPLES = """\
examples:
  notes2anki build                     build the notes folder here (or ./notes) into dist/
  notes2anki build ~/vault -o decks    build a vault into decks/
  notes2anki build exam.md             build one file alone
  notes2anki init                      write a commented deck.toml here
  notes2anki watch                     rebuild after every save
  notes2anki sync                      build, then sync into your Anki collection (Anki closed)

NOTES defaults to this folder when it holds deck.toml or a ledger, else to ./notes when there is
one, else to this folder. Outputs never become inputs: the output folder, even inside the notes
folder, is never read.
"""


def parser() -> argparse.ArgumentParser:
    """Return the parser of every command and its options."""
    top = argparse.ArgumentParser(
        prog="notes2anki",
        description="Turn Markdown study notes into an Anki deck.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    commands = top.add_subparsers(dest="command", metavar="COMMAND")
    for name, output, help_text in (
        ("build", "dist", "build <OUT_DIR>/<deck>-<version>.apkg from notes"),
        ("preview", "preview", "write <OUT_DIR>/index.html showing every card"),
        ("watch", "dist", "build, then rebuild on every save until Ctrl-C"),
        ("sync", "dist", "build, then put the deck into your Anki collection (Anki closed)"),
    ):
        command = commands.add_parser(
            name,
            help=help_text,
            description=help_text[0].upper() + help_text[1:] + ".",
            epilog=_EXAMPLES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _build_options(command, output)
        if name != "preview":
            command.add_argument(
                "--keep",
                action="store_true",
                help="keep this deck's older files in OUT_DIR (default: only the latest stays)",
            )
        if name == "sync":
            _sync_options(command)
        loudness = command.add_mutually_exclusive_group()
        loudness.add_argument(
            "-v", "--verbose", action="store_true", help="list items that made no card"
        )
        loudness.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    _init_command(commands)
    return top


def _build_options(command: argparse.ArgumentParser, output: str) -> None:
    """Add what every command that builds takes: the notes, where to write, how to build."""
    command.add_argument(
        "notes",
        nargs="?",
        metavar="NOTES",
        help="a notes folder, or one Markdown file (default: see below)",
    )
    command.add_argument(
        "-o",
        "--output",
        default=output,
        metavar="OUT_DIR",
        help="where to write (default: %(default)s)",
    )
    command.add_argument(
        "--templates", metavar="DIR", help="use card templates from DIR (default: built in)"
    )
    command.add_argument(
        "--strict", action="store_true", help="treat warnings (skipped files, ...) as errors"
    )
    command.add_argument(
        "-j",
        "--jobs",
        type=positive,
        metavar="N",
        help="compile files on N processes (default: one per core for large notes)",
    )


def _sync_options(command: argparse.ArgumentParser) -> None:
    """Add sync's own options: which collection, and a dry run."""
    where = command.add_mutually_exclusive_group()
    where.add_argument("--profile", metavar="NAME", help="the Anki profile (default: the only one)")
    where.add_argument(
        "--collection", metavar="PATH", help="the collection file (collection.anki2)"
    )
    command.add_argument(
        "--dry-run",
        action="store_true",
        help="print what the sync would do; build nothing, change nothing",
    )


def _init_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add init: write a commented deck.toml into a notes folder."""
    init = commands.add_parser(
        "init",
        help="write a commented deck.toml into a notes folder",
        description="Write a commented deck.toml into a notes folder, and nothing else.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    init.add_argument(
        "folder", nargs="?", default=".", metavar="DIR", help="the notes folder (default: here)"
    )
    init.add_argument(
        "--name",
        help="the deck's name (default: asked for on a terminal, else the folder's name)",
    )


def notes_place(given: str | None) -> tuple[Path, str | None]:
    """Return the notes folder, and the one file in it to build alone, if one was named."""
    if given is None:
        return default_notes(Path.cwd()), None
    path = Path(given)
    if path.is_dir():
        return path, None
    if path.is_file():
        if path.suffix.lower() not in SUFFIXES:
            raise NotesError(given, "not a Markdown file (*.md)")
        return path.parent, path.name
    raise NotesError(given, "no such file or folder")


def default_notes(here: Path) -> Path:
    """Choose the notes folder when none is named: here, or ./notes as in a project folder."""
    if (here / CONFIG_NAME).is_file() or (here / LEDGER_NAME).is_file():
        return Path(".")
    return Path("notes") if (here / "notes").is_dir() else Path(".")
