"""Read ``deck.toml`` into a frozen DeckConfig, reporting every problem at once."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import field, replace
from decimal import Decimal
from pathlib import Path, PurePosixPath

from notes2anki.errors import NotesError, raise_all
from notes2anki.frozen import frozen
from notes2anki.model import Loc
from notes2anki.reading.subjects import DEFAULT_WORDS, CompareWords
from notes2anki.safety import safe_name

CONFIG_NAME = "deck.toml"
DEFAULT_VERSION = "0.1"
_VERSION = re.compile(r"^\d+\.\d+$")
_SLUG_BYTES = 200
_KNOWN_KEYS = {"name", "version", "description", "rules", "compare", "source", "removed"}
# What a card's Source field shows: a link that opens the note in Obsidian, or the file's path.
SOURCE_KINDS = ("obsidian", "path")
# What `sync` does to a note whose fact left the notes.
REMOVALS = ("suspend", "delete")
_COMPARE_KEYS = ("versus", "alternatives", "conjunctions", "difference")


_FOLDER_KEYS = {"name", "rules"}


@frozen
class Folders:
    """What subfolders' deck.toml files set, by folder path: their decks' names, card kinds."""

    names: tuple[tuple[str, str], ...] = ()
    rules: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def rules_for(self, path: str, default: tuple[str, ...] | None) -> tuple[str, ...] | None:
        """Return the card kinds of a notes file: its nearest folder's that sets them."""
        if not self.rules:
            return default
        chosen = dict(self.rules)
        for parent in PurePosixPath(path).parents:
            if str(parent) in chosen:
                return chosen[str(parent)]
        return default


@frozen
class DeckConfig:
    """The deck's settings; ``version`` is major.minor, ``rules`` None for the default set."""

    name: str
    version: str
    description: str = ""
    rules: tuple[str, ...] | None = None
    compare_words: CompareWords = DEFAULT_WORDS
    from_file: bool = False
    # What subfolders' deck.toml files set: their decks' names, their card kinds.
    folders: Folders = field(default_factory=lambda: Folders())
    # Whether the notes are an Obsidian vault (or in one): its settings and comments are read.
    obsidian: bool = False
    # "obsidian", "path", or "" to choose by the folder (a link inside a vault, else the path).
    source: str = ""
    # What sync does to a note whose fact left the notes: "suspend" (and tag) or "delete".
    removed: str = "suspend"
    # Inside a vault, with links: the vault's name and the notes folder's path in it.
    vault: tuple[str, str] | None = None
    # The blocks of a Logseq graph that have an id, with their text: references show it.
    blocks: tuple[tuple[str, str], ...] = ()

    @property
    def slug(self) -> str:
        """Return the deck name as a file-name part: lowercase words joined by hyphens."""
        return slugify(self.name)


def deck_name_of(name: str) -> str:
    """Return a deck's name as Anki may show it: control characters gone, spaces single."""
    return " ".join(safe_name(name).split())


def slugify(text: str) -> str:
    """Turn free text into lowercase words joined by hyphens, in any script."""
    # Letters, digits and the marks that belong to letters (Devanagari vowel signs, say).
    words = "".join(
        char if unicodedata.category(char)[0] in "LMN" else " " for char in text.lower()
    ).split()
    slug = "-".join(words)
    # A file name holds at most 255 bytes: room is left for the version and the suffix.
    while len(slug.encode()) > _SLUG_BYTES:
        slug = slug[:-1]
    return slug.strip("-") or "deck"


def load_config(
    notes_dir: Path | None, fallback_name: Callable[[], str], known_rules: tuple[str, ...]
) -> DeckConfig:
    """Read deck.toml from the notes folder, or make the default config when it is absent."""
    # The fallback name is asked for only when deck.toml gives none: finding it may mean parsing.
    path = notes_dir / CONFIG_NAME if notes_dir is not None else None
    if path is None or not path.is_file():
        return DeckConfig(name=deck_name_of(fallback_name()), version=DEFAULT_VERSION)
    text = _read_text(path)
    try:
        # A version written as a number (1.10) keeps its digits: as a float it would be 1.1.
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        line = _line_of_decode_error(str(exc))
        raise NotesError(
            Loc(CONFIG_NAME, line), f"not valid TOML: {_strip_position(str(exc))}"
        ) from None
    return _validate(data, text, fallback_name, known_rules)


def _validate(
    data: dict[str, object],
    text: str,
    fallback_name: Callable[[], str],
    known_rules: tuple[str, ...],
) -> DeckConfig:
    problems: list[NotesError] = []

    def problem(key: str, message: str) -> None:
        problems.append(NotesError(Loc(CONFIG_NAME, _line_of_key(text, key)), message))

    for key in sorted(set(data) - _KNOWN_KEYS):
        problem(key, f"unknown setting {key!r} (known: {', '.join(sorted(_KNOWN_KEYS))})")
    name = data["name"] if "name" in data else fallback_name()
    if not isinstance(name, str) or not name.strip():
        problem("name", "'name' must be a non-empty string")
        name = fallback_name()
    version = data.get("version", DEFAULT_VERSION)
    if isinstance(version, Decimal):
        version = str(version)
    if not isinstance(version, str) or not _VERSION.match(version):
        problem(
            "version",
            "'version' must be major.minor, like \"1.2\"; "
            "notes2anki counts the patch number itself",
        )
        version = DEFAULT_VERSION
    description = data.get("description", "")
    if not isinstance(description, str):
        problem("description", "'description' must be a string")
        description = ""
    rules = _rules(data["rules"], known_rules, problem) if "rules" in data else None
    compare_words = _compare_words(data.get("compare", {}), problem)
    source = data.get("source", "")
    if source != "" and source not in SOURCE_KINDS:
        problem("source", f"'source' must be one of {', '.join(map(repr, SOURCE_KINDS))}")
        source = ""
    removed = data.get("removed", "suspend")
    if removed not in REMOVALS:
        problem("removed", f"'removed' must be one of {', '.join(map(repr, REMOVALS))}")
        removed = "suspend"
    raise_all(problems)
    return DeckConfig(
        name=deck_name_of(name),
        version=version,
        description=description.strip(),
        rules=rules,
        compare_words=compare_words,
        from_file=True,
        source=str(source),
        removed=str(removed),
    )


def folder_settings(
    notes_dir: Path, paths: tuple[str, ...], known_rules: tuple[str, ...]
) -> Folders:
    """Read each subfolder's deck.toml: its deck's name and card kinds; report every problem."""
    folders = sorted({str(parent) for path in paths for parent in PurePosixPath(path).parents})
    names: list[tuple[str, str]] = []
    kinds: list[tuple[str, tuple[str, ...]]] = []
    problems: list[NotesError] = []
    for folder in folders:
        path = notes_dir / folder / CONFIG_NAME
        if folder == "." or not path.is_file():
            continue
        name, rules = _folder_config(path, f"{folder}/{CONFIG_NAME}", known_rules, problems)
        if name is not None:
            names.append((folder, name))
        if rules is not None:
            kinds.append((folder, rules))
    raise_all(problems)
    return Folders(tuple(names), tuple(kinds))


def _folder_config(
    path: Path, shown: str, known_rules: tuple[str, ...], problems: list[NotesError]
) -> tuple[str | None, tuple[str, ...] | None]:
    """Read one subfolder's deck.toml: the name and card kinds it sets, if any."""
    try:
        text = _read_text(path, shown)
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _line_of_decode_error(str(exc))
        message = f"not valid TOML: {_strip_position(str(exc))}"
        problems.append(NotesError(Loc(shown, line), message))
        return None, None
    except NotesError as unreadable:
        problems.append(unreadable)
        return None, None

    def problem(key: str, message: str) -> None:
        problems.append(NotesError(Loc(shown, _line_of_key(text, key)), message))

    # The deck's version, description and words are the whole deck's.
    for key in sorted(set(data) - _FOLDER_KEYS):
        problem(
            key,
            f"a subfolder's {CONFIG_NAME} sets its deck's 'name' and 'rules' only; "
            f"{key!r} belongs in the notes folder's {CONFIG_NAME}",
        )
    name = data.get("name")
    if name is not None and (not isinstance(name, str) or not deck_name_of(name)):
        problem("name", "'name' must be a non-empty string")
        name = None
    rules = _rules(data["rules"], known_rules, problem) if "rules" in data else None
    return (deck_name_of(name) if name is not None else None), rules


def _rules(
    rules: object, known_rules: tuple[str, ...], problem: Callable[[str, str], None]
) -> tuple[str, ...] | None:
    """Read a list of card kinds by name, or None when it is none."""
    if not (isinstance(rules, list) and all(isinstance(rule, str) for rule in rules)):
        problem("rules", '\'rules\' must be a list of rule names, e.g. ["basic", "cloze"]')
        return None
    for rule in rules:
        if rule not in known_rules:
            problem("rules", f"unknown rule {rule!r} (known: {', '.join(known_rules)})")
    return tuple(rules)


def _compare_words(table: object, problem: Callable[[str, str], None]) -> CompareWords:
    """Read [compare]: each list given replaces that role's default words."""
    if not isinstance(table, dict):
        problem("compare", "[compare] must be a table of word lists")
        return DEFAULT_WORDS
    chosen: dict[str, tuple[str, ...]] = {}
    for key, value in table.items():
        if key not in _COMPARE_KEYS:
            problem(key, f"unknown [compare] list {key!r} (known: {', '.join(_COMPARE_KEYS)})")
        elif not (isinstance(value, list) and all(isinstance(w, str) and w.strip() for w in value)):
            problem(key, f'[compare] {key} must be a list of words, e.g. ["vs", "gegen"]')
        else:
            chosen[key] = tuple(word.strip() for word in value)
    return replace(DEFAULT_WORDS, **chosen)


def _read_text(path: Path, shown: str | None = None) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise NotesError(Loc(shown or path.name, line), "not valid UTF-8") from None


def _line_of_key(text: str, key: str) -> int:
    match = re.search(rf"^\s*{re.escape(key)}\s*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _line_of_decode_error(message: str) -> int:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else 1


def _strip_position(message: str) -> str:
    return re.sub(r"\s*\(at line \d+, column \d+\)", "", message) or message
