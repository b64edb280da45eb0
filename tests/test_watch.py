"""Watch mode: a rebuild on every save, and a broken save that costs nothing."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

GOOD = "# Watch\n- A record - hostname to IPv4\n"


class Lines:
    """The lines a process prints, read in the background."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.seen: list[str] = []
        self.queue: queue.Queue[str] = queue.Queue()
        assert process.stdout is not None
        stream = process.stdout
        threading.Thread(
            target=lambda: [self.queue.put(line) for line in stream], daemon=True
        ).start()

    def wait_for(self, text: str, seconds: float = 60) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.queue.get(timeout=0.2)
            except queue.Empty:
                continue
            self.seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"never printed {text!r}; printed:\n{''.join(self.seen)}")


def start_watch(notes: Path, *args: str) -> tuple[subprocess.Popen[str], Lines]:
    """Write a notes folder and start watching it, from inside it."""
    notes.mkdir()
    (notes / "a.md").write_text(GOOD, encoding="utf-8")
    (notes / "deck.toml").write_text('name = "Watch"\n', encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "notes2anki", "watch", *args],
        cwd=notes,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return process, Lines(process)


def test_watch_rebuilds_on_save_and_survives_a_broken_file(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    process, lines = start_watch(notes, str(notes), "-o", str(tmp_path / "dist"))
    try:
        lines.wait_for("watching")
        deck = tmp_path / "dist" / "watch-0.1.0.apkg"
        assert deck.is_file()
        (notes / "a.md").write_text(GOOD + "- CNAME - hostname to hostname\n", encoding="utf-8")
        lines.wait_for("changed: a.md")
        lines.wait_for("watch-0.1.1.apkg")
        good_deck = (tmp_path / "dist" / "watch-0.1.1.apkg").read_bytes()
        (notes / "b.md").write_bytes(b"# Broken\n- caf\xe9\n")
        lines.wait_for("b.md:2: not valid UTF-8")
        lines.wait_for("the last good deck stays")
        assert (tmp_path / "dist" / "watch-0.1.1.apkg").read_bytes() == good_deck
        (notes / "b.md").write_text(
            "# Fixed\n- Alias - hostname to AWS resource\n", encoding="utf-8"
        )
        lines.wait_for("changed: b.md")
        lines.wait_for("watch-0.1.2.apkg")
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=30)
    assert code == 130  # as a shell reports Ctrl-C
    assert not any("Traceback" in line for line in lines.seen)


def test_watch_inside_the_notes_folder_rebuilds_once_per_save(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    # With the defaults: the deck, changelog and cache land among the notes.
    process, lines = start_watch(notes)
    try:
        lines.wait_for("watching")
        for number, fact in enumerate(("CNAME - hostname to hostname", "Alias - AWS resource"), 1):
            with (notes / "a.md").open("a", encoding="utf-8") as notes_file:
                notes_file.write(f"- {fact}\n")
            lines.wait_for(f"watch-0.1.{number}.apkg")
        # Whatever the rebuilds wrote, no further rebuild follows.
        time.sleep(3)
        while not lines.queue.empty():
            lines.seen.append(lines.queue.get())
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=30)
    assert code == 130
    assert sum(line.startswith("changed:") for line in lines.seen) == 2, "".join(lines.seen)
    assert sorted(path.name for path in (notes / "dist").glob("*.apkg")) == ["watch-0.1.2.apkg"]
    assert not any("Traceback" in line for line in lines.seen)
