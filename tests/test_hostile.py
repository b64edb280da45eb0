"""Notes from editors, exports and strangers: never a crash, never a traceback, never data lost."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import pytest
from bench.vault import write_vault
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notes2anki.building import writing
from notes2anki.building.compiling import compile_notes
from notes2anki.building.pipeline import BuildOptions, build
from notes2anki.building.units import CACHE_NAME
from notes2anki.errors import NotesError
from notes2anki.identity.ledger import load_ledger


def build_folder(tmp_path: Path, files: dict[str, bytes]) -> subprocess.CompletedProcess[str]:
    notes = tmp_path / "notes"
    notes.mkdir(exist_ok=True)
    for name, data in files.items():
        (notes / name).write_bytes(data)
    return subprocess.run(
        [sys.executable, "-m", "notes2anki", "build", str(notes), "-o", str(tmp_path / "dist")],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


GOOD = b"# Fine\n- A record - hostname to IPv4\n"


@pytest.mark.parametrize(
    ("name", "data", "card_text"),
    [
        ("bom.md", b"\xef\xbb\xbf# BOM\n- Term - with a BOM before the heading\n", "with a BOM"),
        ("crlf.md", b"# CRLF\r\n- Term - on Windows lines\r\n", "on Windows lines"),
        (
            "tabs.md",
            b"# Tabs\n\tEBS\n1.\tEBS\t-\tnetwork drive\n\t- nested - by a tab\n",
            "network drive",
        ),
        ("empty.md", b"", None),
        ("front.md", b"---\ntitle: only front matter\n---\n", None),
        (
            "deep.md",
            b"# Deep\n" + b"".join(b"  " * i + b"- level %d - x\n" % i for i in range(3000)),
            "level 0",
        ),
        ("quotes.md", b"# Quotes\n" + b">" * 3000 + b" deep - quote\n", None),
        ("long.md", b"# Long\n- " + b"word - " * 300_000 + b"\n", "word"),
    ],
)
def test_odd_files_build(tmp_path: Path, name: str, data: bytes, card_text: str | None) -> None:
    result = build_folder(tmp_path, {"a.md": GOOD, name: data})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    if card_text is not None:
        notes = compile_notes(BuildOptions(tmp_path / "notes", tmp_path / "dist")).notes
        assert any(card_text in field for note in notes for field in note.fields)


def test_a_binary_file_named_md_is_skipped_with_a_warning(tmp_path: Path) -> None:
    result = build_folder(tmp_path, {"a.md": GOOD, "image.md": bytes(range(256)) * 8})
    assert result.returncode == 0, result.stderr
    assert "warning: image.md:1: a binary file, not Markdown; skipped" in result.stderr


def test_a_file_name_that_is_not_utf8_builds_and_shows_its_odd_bytes(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / os.fsdecode(b"caf\xe9 notes.md")).write_bytes(GOOD)
    result = build_folder(tmp_path, {})
    assert result.returncode == 0, result.stderr
    notes_built = compile_notes(BuildOptions(notes, tmp_path / "dist")).notes
    assert {note.fields[-1] for note in notes_built} == {"caf\ufffd notes.md"}


def test_invalid_utf8_is_an_error_with_its_line(tmp_path: Path) -> None:
    result = build_folder(tmp_path, {"a.md": GOOD, "latin1.md": b"# X\n- ok\n- caf\xe9\n"})
    assert result.returncode == 1
    assert "latin1.md:3: not valid UTF-8" in result.stderr and "Traceback" not in result.stderr


def test_symlink_loops_and_links_out_are_skipped(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_bytes(GOOD)
    (notes / "loop-a.md").symlink_to("loop-b.md")
    (notes / "loop-b.md").symlink_to("loop-a.md")
    (notes / "folder").mkdir()
    (notes / "folder" / "again").symlink_to("..")
    (tmp_path / "secret.md").write_text("# Secret\n- password - hunter2\n")
    (notes / "secret.md").symlink_to(tmp_path / "secret.md")
    result = build_folder(tmp_path, {})
    assert result.returncode == 0, result.stderr
    assert "loop-a.md:1: a symlink loop; skipped" in result.stderr
    assert "secret.md:1: links outside the notes folder; skipped" in result.stderr
    notes_built = compile_notes(BuildOptions(notes, tmp_path / "dist")).notes
    assert not any("hunter2" in field for note in notes_built for field in note.fields)


_PIECES = [
    *"abcXYZ 019 \n\t-*_`#>|:=()[]!$<>{}/\\.~",
    "\n- ",
    "\n1. ",
    "==",
    " - ",
    "{{c1::",
    "}}",
    "<!-- notes2anki: skip -->",
    " vs ",
    "```\n",
    "$$",
    "\r\n",
    "\ufeff",
    "é",
    "与",
]
markdownish = st.lists(st.sampled_from(_PIECES), max_size=200).map("".join)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(markdownish)
def test_any_markdown_builds_or_fails_cleanly(tmp_path: Path, text: str) -> None:
    notes = tmp_path / "fuzz"
    notes.mkdir(exist_ok=True)
    (notes / "fuzz.md").write_text(text, encoding="utf-8")
    with contextlib.suppress(NotesError):
        compile_notes(BuildOptions(notes, tmp_path / "out"))


def test_a_killed_build_leaves_the_last_deck_and_ledger_whole(tmp_path: Path) -> None:
    notes = write_vault(tmp_path / "notes", files=20, items=6000)
    first = build(BuildOptions(notes, tmp_path / "dist"))
    deck_before = first.deck_path.read_bytes()
    ledger_before = (notes / "notes2anki.lock").read_bytes()
    topic = notes / "topic-000.md"
    topic.write_text(topic.read_text().replace("1. ", "1. Changed - ", 1))
    killed: list[int] = []
    for delay in (0.3, 0.8, 1.5, 2.5):
        # Without the file cache every file is compiled again, on two worker processes. A
        # build that finishes before its kill keeps the first deck (--keep), to compare.
        shutil.rmtree(tmp_path / "dist" / CACHE_NAME, ignore_errors=True)
        command = ["build", str(notes), "-o", str(tmp_path / "dist"), "--jobs", "2", "--keep"]
        process = subprocess.Popen(
            [sys.executable, "-m", "notes2anki", *command],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            killed.append(process.pid)
        process.wait()
        # Its worker processes stop too, instead of waiting for work forever.
        deadline = time.monotonic() + 10
        while _processes_reading(notes) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _processes_reading(notes)
        # Whatever moment the kill came at, each file is either the old one or a whole new one.
        ledger = load_ledger(notes)
        assert (notes / "notes2anki.lock").read_bytes() == ledger_before or ledger.deck.version
        assert first.deck_path.read_bytes() == deck_before
        for deck in (tmp_path / "dist").glob("*.apkg"):
            with zipfile.ZipFile(deck) as archive:
                assert archive.testzip() is None
    # The scratch collections the killed builds left are gone once a build has run.
    build(BuildOptions(notes, tmp_path / "dist"))
    scratch = Path(tempfile.gettempdir())
    assert killed
    assert not [name for pid in killed for name in scratch.glob(f"notes2anki-collection-*-{pid}-*")]


def _processes_reading(notes: Path) -> list[int]:
    """Return the ids of running processes whose command line names the notes folder."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if str(notes).encode() in command and state != "Z":
            found.append(int(entry.name))
    return found


def test_a_build_failing_while_its_deck_is_packed_leaves_the_last_one_and_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = write_vault(tmp_path / "notes", files=2, items=200)
    first = build(BuildOptions(notes, tmp_path / "dist"))
    deck_before = first.deck_path.read_bytes()
    ledger_before = (notes / "notes2anki.lock").read_bytes()
    (notes / "topic-000.md").write_text("# Changed\n- A record - hostname to IPv4\n")

    # The deck is packed while its version is found; a build that fails then must not leave
    # the packing waiting for it, nor anything written.
    def fail(*_: object) -> str:
        raise NotesError("deck.toml", "a failure while the deck is packed")

    monkeypatch.setattr(writing, "deck_content", fail)
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            build(BuildOptions(notes, tmp_path / "dist"))
        except NotesError as error:
            outcome.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive()
    assert len(outcome) == 1
    assert first.deck_path.read_bytes() == deck_before
    assert (notes / "notes2anki.lock").read_bytes() == ledger_before
    assert [path.name for path in (tmp_path / "dist").iterdir() if "apkg" in path.name] == [
        first.deck_path.name
    ]
