"""Remember the last build's inputs, so that rebuilding unchanged notes does no work at all."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from notes2anki.frozen import frozen
from notes2anki.identity.ledger import is_ledger
from notes2anki.model import Loc
from notes2anki.reading.own_files import RECORD_NAME, is_deck_file, is_output
from notes2anki.records import Skipped, Summary

_RECORD_FORMAT = 2
_SOURCE = Path(__file__).resolve().parents[1]  # the whole package


@frozen
class BuildRecord:
    """What the last build in an output folder read, wrote and reported."""

    fingerprint: str
    ledger_sha256: str
    name: str
    deck: str
    deck_sha256: str
    version: str
    summary: Summary


def fingerprint(notes_dir: Path, templates_dir: Path, out_dir: Path, settings: str = "") -> str:
    """Hash everything a build reads: the notes folder, the templates and this tool's own code."""
    # Settings: what a build reads outside those files (a vault's, which change as it is used).
    return tree_digest(
        (notes_dir, templates_dir, _SOURCE),
        lambda path: not is_ledger(path) and not is_deck_file(path),
        f"format {_RECORD_FORMAT} {settings}",
        out_dir,
    )


# Folders no card shows a file of: caches, version control, a vault app's settings and trash.
_UNREAD_FOLDERS = frozenset(("__pycache__", ".git", ".obsidian", ".trash"))


def tree_digest(
    roots: tuple[Path, ...], wanted: Callable[[Path], bool], salt: str, out_dir: Path | None
) -> str:
    """Hash the names and contents of the wanted files below some folders, outputs left out."""
    digest = hashlib.sha256(salt.encode())
    for root in roots:
        for folder, subfolders, names in os.walk(root, followlinks=False):
            subfolders[:] = sorted(
                name
                for name in subfolders
                if name not in _UNREAD_FOLDERS and not is_output(Path(folder, name), out_dir)
            )
            for name in sorted(names):
                path = Path(folder, name)
                if not wanted(path) or not path.is_file():
                    continue
                digest.update(os.fsencode(path.relative_to(root).as_posix()) + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def load_record(out_dir: Path) -> BuildRecord | None:
    """Read the last build's record, or None when there is none or it cannot be trusted."""
    try:
        data = json.loads((out_dir / RECORD_NAME).read_text(encoding="utf-8"))
        summary = data["summary"]
        return BuildRecord(
            data["fingerprint"],
            data["ledger_sha256"],
            data["name"],
            data["deck"],
            data["deck_sha256"],
            data["version"],
            Summary(
                files=summary["files"],
                sections=summary["sections"],
                facts=summary["facts"],
                notes_per_kind=tuple((kind, count) for kind, count in summary["notes_per_kind"]),
                cards=summary["cards"],
                skipped=tuple(
                    Skipped(Loc(path, line), reason, card)
                    for path, line, reason, card in summary["skipped"]
                ),
                warnings=tuple(summary["warnings"]),
            ),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def dump_record(record: BuildRecord) -> bytes:
    """Write a build record as JSON."""
    summary = record.summary
    data = {
        "format": _RECORD_FORMAT,
        "fingerprint": record.fingerprint,
        "ledger_sha256": record.ledger_sha256,
        "name": record.name,
        "deck": record.deck,
        "deck_sha256": record.deck_sha256,
        "version": record.version,
        "summary": {
            "files": summary.files,
            "sections": summary.sections,
            "facts": summary.facts,
            "notes_per_kind": [list(pair) for pair in summary.notes_per_kind],
            "cards": summary.cards,
            "skipped": [[s.loc.path, s.loc.line, s.reason, s.card] for s in summary.skipped],
            "warnings": list(summary.warnings),
        },
    }
    return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()
