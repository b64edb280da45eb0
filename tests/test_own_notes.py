"""A user's own notes: built from inside their folder, one file alone, a starter deck.toml."""

from __future__ import annotations

import os
import pty
import re
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

from bench.vault import write_vault

from tests.helpers import REPO, apkg_notes

DNS = "# DNS\n- A record - hostname to IPv4\n- CNAME - hostname to hostname\n"


def notes2anki(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "notes2anki", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def note_count(deck: Path) -> int:
    return len(apkg_notes(deck))


def test_a_build_inside_the_notes_folder_never_reads_what_it_wrote(tmp_path: Path) -> None:
    notes = tmp_path / "my notes"
    write(notes / "DNS.md", DNS)
    first = notes2anki("build", cwd=notes)
    assert first.returncode == 0, first.stderr
    assert "1 files" in first.stdout and (notes / "dist" / "dns-0.1.0.apkg").is_file()
    assert (notes / "dist" / "CHANGELOG.md").is_file()
    again = notes2anki("build", ".", cwd=notes)
    assert again.returncode == 0, again.stderr
    assert "1 files" in again.stdout and "no changes since the last build" in again.stdout
    write(notes / "DNS.md", DNS + "- Alias - hostname to an AWS resource\n")
    # Another build's output folder among the notes is never read either.
    assert notes2anki("build", "-o", "old", cwd=notes).returncode == 0
    edited = notes2anki("build", cwd=notes)
    assert edited.returncode == 0, edited.stderr
    assert "1 files" in edited.stdout and "warning" not in edited.stderr
    # The same notes built from elsewhere make the same deck: nothing written was read back.
    elsewhere = notes2anki("build", str(notes), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert note_count(notes / "dist" / "dns-0.1.1.apkg") == note_count(
        next((tmp_path / "out").glob("*.apkg"))
    )
    ledger = (notes / "notes2anki.lock").read_text(encoding="utf-8")
    assert "CHANGELOG" not in ledger and "DNS.md" in ledger


def test_the_output_folder_cannot_be_the_notes_folder(tmp_path: Path) -> None:
    write(tmp_path / "DNS.md", DNS)
    result = notes2anki("build", "-o", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert "the output folder cannot be the notes folder" in result.stderr
    assert not any(tmp_path.glob("*.apkg"))


def test_build_with_no_argument_builds_the_notes_folder_it_is_run_in(tmp_path: Path) -> None:
    project = tmp_path / "project"
    write(project / "notes" / "a.md", DNS)
    from_project = notes2anki("build", "-q", cwd=project)
    assert from_project.returncode == 0, from_project.stderr
    assert (project / "notes" / "notes2anki.lock").is_file()
    # A notes folder of its own (deck.toml or ledger here) is built, whatever its subfolders.
    write(project / "notes" / "deck.toml", 'name = "Networking"\n')
    write(project / "notes" / "notes" / "b.md", "# Other\n- UDP - connectionless\n")
    inside = notes2anki("build", cwd=project / "notes")
    assert inside.returncode == 0, inside.stderr
    assert "Networking 0.1.1 -> dist/networking-0.1.1.apkg" in inside.stdout
    assert "2 files" in inside.stdout


def test_build_one_file_alone(tmp_path: Path) -> None:
    write(tmp_path / "exam.md", DNS)
    write(tmp_path / "other.md", "# Other\n- UDP - connectionless transport\n")
    write(tmp_path / "deck.toml", 'name = "The Folder"\n')
    result = notes2anki("build", "exam.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "DNS 0.1.0 -> dist/dns-0.1.0.apkg" in result.stdout
    assert "1 files" in result.stdout
    # Its own ledger: building the folder, or another file, never takes its notes away.
    assert (tmp_path / "exam.notes2anki.lock").is_file()
    assert not (tmp_path / "notes2anki.lock").exists()
    fields = [fields for _, _, fields in apkg_notes(tmp_path / "dist" / "dns-0.1.0.apkg")]
    assert any("A record" in field for field in fields)
    assert not any("UDP" in field for field in fields)


def test_init_writes_a_commented_deck_toml_and_nothing_else(tmp_path: Path) -> None:
    folder = tmp_path / "Grundlagen_Netze"
    write(folder / "a.md", DNS)
    result = notes2anki("init", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in folder.iterdir()) == ["a.md", "deck.toml"]
    text = (folder / "deck.toml").read_text(encoding="utf-8")
    assert tomllib.loads(text) == {"name": "Grundlagen Netze", "version": "0.1"}
    assert text.count("\n# ") >= 4  # each setting explained
    again = notes2anki("init", str(folder), "--name", "Other", cwd=tmp_path)
    assert again.returncode == 1 and "already exists" in again.stderr
    assert (folder / "deck.toml").read_text(encoding="utf-8") == text
    named = tmp_path / "named"
    named.mkdir()
    assert notes2anki("init", "named", "--name", 'Netz "Basis"', cwd=tmp_path).returncode == 0
    write(named / "a.md", DNS)
    built = notes2anki("build", cwd=named)
    assert built.returncode == 0, built.stderr
    assert 'Netz "Basis" 0.1.0 -> dist/netz-basis-0.1.0.apkg' in built.stdout


def test_only_the_latest_deck_file_stays_unless_kept(tmp_path: Path) -> None:
    write(tmp_path / "deck.toml", 'name = "AWS"\n')
    write(tmp_path / "a.md", DNS)
    other_deck = write(tmp_path / "dist" / "aws-dva-c01-1.0.3.apkg", "another deck's file")
    assert notes2anki("build", cwd=tmp_path).returncode == 0
    write(tmp_path / "a.md", DNS + "- Alias - hostname to an AWS resource\n")
    second = notes2anki("build", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "removed older deck files: aws-0.1.0.apkg" in second.stdout
    assert sorted(path.name for path in (tmp_path / "dist").glob("*.apkg")) == [
        "aws-0.1.1.apkg",
        "aws-dva-c01-1.0.3.apkg",
    ]
    write(tmp_path / "a.md", DNS)
    kept = notes2anki("build", "--keep", cwd=tmp_path)
    assert kept.returncode == 0 and "older deck files" not in kept.stdout
    assert (tmp_path / "dist" / "aws-0.1.1.apkg").is_file()
    assert (tmp_path / "dist" / "aws-0.1.2.apkg").is_file()
    assert other_deck.is_file()


def test_a_version_written_as_a_number_is_read_as_written(tmp_path: Path) -> None:
    write(tmp_path / "a.md", DNS)
    write(tmp_path / "deck.toml", 'name = "Net"\nversion = 1.0\n')
    assert notes2anki("build", "-q", cwd=tmp_path).returncode == 0
    assert (tmp_path / "dist" / "net-1.0.0.apkg").is_file()
    write(tmp_path / "deck.toml", 'name = "Net"\nversion = 1.10\n')
    assert notes2anki("build", "-q", cwd=tmp_path).returncode == 0
    assert (tmp_path / "dist" / "net-1.10.0.apkg").is_file()
    write(tmp_path / "deck.toml", 'name = "Net"\nversion = 1e3\n')
    bad = notes2anki("build", cwd=tmp_path)
    assert bad.returncode == 1 and "deck.toml:2: 'version' must be major.minor" in bad.stderr


def test_deck_file_names_keep_their_letters_in_any_script(tmp_path: Path) -> None:
    for name, slug in (("Grundlagen Übungen", "grundlagen-übungen"), ("网络基础", "网络基础")):
        folder = tmp_path / slug
        write(folder / "a.md", DNS)
        write(folder / "deck.toml", f'name = "{name}"\n')
        assert notes2anki("build", "-q", cwd=folder).returncode == 0
        assert (folder / "dist" / f"{slug}-0.1.0.apkg").is_file()


def test_a_folder_of_only_binary_files_names_them(tmp_path: Path) -> None:
    (tmp_path / "photo.md").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    result = notes2anki("build", cwd=tmp_path)
    assert result.returncode == 1
    assert "photo.md:1: a binary file, not Markdown; skipped" in result.stderr
    assert "no readable Markdown files here" in result.stderr


def test_ctrl_c_stops_a_build_on_several_processes_quietly(tmp_path: Path) -> None:
    notes = write_vault(tmp_path / "notes", files=8, items=24000)
    # Ctrl-C on a terminal reaches every process of the group: the build and its workers. It
    # comes as the first worker starts, the moment a worker is least ready for it, and later.
    for workers_seen in (1, 1, 2):
        process = subprocess.Popen(
            [sys.executable, "-m", "notes2anki", "build", str(notes), "-o", str(tmp_path / "out")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(children.read_text().split()) < workers_seen:
            time.sleep(0.001)
        assert len(children.read_text().split()) >= workers_seen, "no worker started"
        os.killpg(process.pid, signal.SIGINT)
        _, err = process.communicate(timeout=60)
        assert process.returncode == 130
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
        assert not (notes / "notes2anki.lock").exists()
        assert not any((tmp_path / "out").glob("*.apkg"))


def test_pip_install_of_the_checkout_builds_a_notes_folder(tmp_path: Path) -> None:
    # A copy of the checkout, as a user clones it: pip builds in the tree it is given.
    checkout = tmp_path / "checkout"
    shutil.copytree(
        REPO,
        checkout,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "dist", "build", "preview", "*.egg-info", "__pycache__", ".*_cache"
        ),
    )
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    installed = subprocess.run(
        [venv / "bin" / "python", "-m", "pip", "install", "--verbose", str(checkout)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr
    # Packaging has nothing to warn about; the build backend speaks only when pip is verbose.
    output = installed.stdout + installed.stderr
    assert not re.findall(r"\w+Warning\b", output), output
    shutil.rmtree(checkout)  # the installed tool needs nothing from it
    notes = write(tmp_path / "Biology" / "cells.md", "# Cells\n- Ribosome - makes proteins\n")
    result = subprocess.run(
        [venv / "bin" / "notes2anki", "build"],
        cwd=notes.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    deck = notes.parent / "dist" / "cells-0.1.0.apkg"
    assert note_count(deck) == 2  # a Basic and a Cloze note


def test_init_asks_for_the_name_on_a_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "bio_notes"
    folder.mkdir()
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "notes2anki", "init"],
        cwd=folder,
        stdin=follower,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    shown = b""
    while b"]: " not in shown:
        shown += os.read(leader, 1024)
    assert b"Deck name [bio notes]: " in shown
    os.write(leader, b"Zellbiologie 1\n")
    assert process.wait(timeout=30) == 0
    os.close(leader)
    assert tomllib.loads((folder / "deck.toml").read_text(encoding="utf-8"))["name"] == (
        "Zellbiologie 1"
    )
