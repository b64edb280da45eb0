"""The command line contract: exit codes, summaries, and bad input that never half-writes."""

from __future__ import annotations

import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from notes2anki.cli import main
from tests.helpers import REPO, run


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def verbose_build(tmp_path: Path, capsys: pytest.CaptureFixture[str], notes_text: str) -> str:
    """Build one notes file with --verbose and return what was printed."""
    notes = tmp_path / "notes"
    write(notes / "a.md", notes_text)
    assert main(["build", str(notes), "-o", str(tmp_path / "out"), "--verbose"]) == 0
    return capsys.readouterr().out


def test_build_deck_script_builds_the_default_folder(seed_notes: Path) -> None:
    result = run(str(REPO / "build_deck.py"), cwd=seed_notes.parent)
    assert result.returncode == 0, result.stderr
    deck = seed_notes.parent / "dist" / "aws-dva-c01-1.0.0.apkg"
    assert deck.is_file()
    assert (seed_notes / "notes2anki.lock").is_file()
    assert "1 files, 66 sections" in result.stdout
    assert "items on a card" in result.stdout


def test_module_entry_point_and_summary(seed_notes: Path, tmp_path: Path) -> None:
    result = run("-m", "notes2anki", "build", str(seed_notes), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "notes:" in result.stdout and "basic" in result.stdout and "cloze" in result.stdout
    assert (tmp_path / "out" / "aws-dva-c01-1.0.0.apkg").is_file()


def test_verbose_lists_items_without_a_card(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = verbose_build(
        tmp_path, capsys, "# Topic\n- Managed DNS.\n- A record - hostname to IPv4\n"
    )
    assert "1 of 2 items on a card (50%)" in out
    assert "a.md:2: no card: a phrase of 2 words is read as context" in out


def test_quiet_prints_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "notes" / "a.md", "# T\n- A record - hostname to IPv4\n")
    assert main(["build", str(tmp_path / "notes"), "-o", str(tmp_path / "out"), "-q"]) == 0
    assert capsys.readouterr().out == ""


def test_invalid_utf8_names_file_and_line_and_keeps_previous_outputs(
    seed_notes: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert run("-m", "notes2anki", "build", str(seed_notes), "-o", str(out)).returncode == 0
    deck = out / "aws-dva-c01-1.0.0.apkg"
    ledger = seed_notes / "notes2anki.lock"
    before = deck.read_bytes(), ledger.read_bytes()
    (seed_notes / "broken.md").write_bytes(b"# Broken\n- fine line\n- caf\xe9 au lait\n")
    result = run("-m", "notes2anki", "build", str(seed_notes), "-o", str(out))
    assert result.returncode == 1
    assert "broken.md:3: not valid UTF-8" in result.stderr
    assert "Traceback" not in result.stderr
    assert (deck.read_bytes(), ledger.read_bytes()) == before
    visible = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert visible == ["CHANGELOG.md", "aws-dva-c01-1.0.0.apkg"]


def test_every_config_problem_is_reported_at_once(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    write(notes / "a.md", "# T\n- A record - hostname to IPv4\n")
    write(
        notes / "deck.toml", 'name = "X"\nversion = "one"\nrules = ["basic", "quiz2"]\ncolour = 1\n'
    )
    result = run("-m", "notes2anki", "build", str(notes), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "deck.toml:2: 'version' must be" in result.stderr
    assert "deck.toml:3: unknown rule 'quiz2'" in result.stderr
    assert "deck.toml:4: unknown setting 'colour'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    write(notes / "a.md", "# T\n- A record - hostname to IPv4\n")
    write(notes / "deck.toml", 'name = "X"\nversion = \n')
    result = run("-m", "notes2anki", "build", str(notes), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "deck.toml:2: not valid TOML" in result.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("-m", "notes2anki", "build", "--no-such-option").returncode == 2
    assert run("-m", "notes2anki").returncode == 2
    bad_jobs = run("-m", "notes2anki", "build", "--jobs", "0")
    assert bad_jobs.returncode == 2 and "not a positive number: '0'" in bad_jobs.stderr


def test_missing_or_empty_notes_folder(tmp_path: Path) -> None:
    missing = run("-m", "notes2anki", "build", str(tmp_path / "nope"))
    assert missing.returncode == 1 and "nope: no such file or folder" in missing.stderr
    (tmp_path / "empty").mkdir()
    empty = run("-m", "notes2anki", "build", str(tmp_path / "empty"))
    assert empty.returncode == 1 and "no Markdown files" in empty.stderr


def test_broken_ledger_is_an_error_not_replaced(seed_notes: Path, tmp_path: Path) -> None:
    ledger = write(seed_notes / "notes2anki.lock", '{\n  "format": 1,\n  "notes": {\n')
    result = run("-m", "notes2anki", "build", str(seed_notes), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "notes2anki.lock:4: ledger is not valid JSON" in result.stderr
    assert ledger.read_text() == '{\n  "format": 1,\n  "notes": {\n'


def test_missing_and_broken_templates_are_named(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    write(notes / "a.md", "# T\n- A record - hostname to IPv4\n")
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    write(templates / "fields" / "front.html.j2", "line one\n{{ front \n")
    (templates / "anki" / "style.css").unlink()

    def build_with_templates() -> subprocess.CompletedProcess[str]:
        out = str(tmp_path / "out")
        return run(
            "-m", "notes2anki", "build", str(notes), "--templates", str(templates), "-o", out
        )

    missing = build_with_templates()
    assert missing.returncode == 1
    assert "anki/style.css:1: template file is missing" in missing.stderr
    (templates / "anki" / "style.css").write_text(".card {}\n")
    broken = build_with_templates()
    assert broken.returncode == 1
    assert "fields/front.html.j2:2:" in broken.stderr
    assert "Traceback" not in broken.stderr


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    write(notes / "a.md", "# A\nDemo\n- X - one thing here\n\nDemo\n- X - another thing here\n")
    lenient = run("-m", "notes2anki", "build", str(notes), "-o", str(tmp_path / "out"))
    assert lenient.returncode == 0
    assert "warning: a.md:6: same basic card as a.md:3" in lenient.stderr
    strict = run("-m", "notes2anki", "build", str(notes), "-o", str(tmp_path / "s"), "--strict")
    assert strict.returncode == 1
    assert "a.md:6: same basic card as a.md:3" in strict.stderr
    assert not (tmp_path / "s").exists()


def test_deck_name_without_deck_toml(tmp_path: Path) -> None:
    single = tmp_path / "one"
    write(single / "a.md", "# Networking Basics\n- A record - hostname to IPv4\n")
    assert main(["build", str(single), "-o", str(tmp_path / "out1"), "-q"]) == 0
    assert (tmp_path / "out1" / "networking-basics-0.1.0.apkg").is_file()
    several = tmp_path / "my-study_notes"
    write(several / "a.md", "# A\n- A record - hostname to IPv4\n")
    write(several / "b.md", "# B\n- CNAME - hostname to hostname\n")
    assert main(["build", str(several), "-o", str(tmp_path / "out2"), "-q"]) == 0
    assert (tmp_path / "out2" / "my-study-notes-0.1.0.apkg").is_file()


def test_compare_words_come_from_deck_toml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes"
    write(
        notes / "a.md",
        "# Réseau\nTCP contre UDP\n- TCP - fiable et ordonné\n- UDP - rapide, sans garantie\n",
    )
    assert main(["build", str(notes), "-o", str(tmp_path / "a")]) == 0
    assert " 0 compare" in capsys.readouterr().out
    write(notes / "deck.toml", '[compare]\nversus = ["contre"]\n')
    assert main(["build", str(notes), "-o", str(tmp_path / "b")]) == 0
    out = capsys.readouterr().out
    assert " 1 compare, 2 which" in out


def test_bad_compare_words_are_reported(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    write(notes / "a.md", "# T\n- A record - hostname to IPv4\n")
    write(notes / "deck.toml", '[compare]\nversus = "vs"\nbetween = ["x"]\n')
    result = run("-m", "notes2anki", "build", str(notes), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "deck.toml:2: [compare] versus must be a list of words" in result.stderr
    assert "deck.toml:3: unknown [compare] list 'between'" in result.stderr


def test_an_unwritable_output_folder_is_a_clear_error(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    write(notes / "a.md", "# T\n- A record - hostname to IPv4\n")
    blocker = write(tmp_path / "out", "a file where the folder should be\n")
    result = run("-m", "notes2anki", "build", str(notes), "-o", str(blocker))
    assert result.returncode == 1
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr
    assert not (notes / "notes2anki.lock").exists()


def test_a_long_build_shows_progress_on_a_terminal_only(tmp_path: Path) -> None:
    import os
    import pty

    from bench.vault import write_vault

    # Large enough to run past the bar's one-second delay, on both cores.
    notes = write_vault(tmp_path / "notes", files=20, items=16000)
    command = [sys.executable, "-m", "notes2anki", "build", str(notes), "-o", str(tmp_path / "out")]
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdin=follower, stdout=follower, stderr=follower)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    assert process.wait() == 0
    os.close(leader)
    assert b"making cards" in shown and b"\r" in shown
    piped = run("-m", "notes2anki", "build", str(notes), "-o", str(tmp_path / "out2"))
    assert piped.returncode == 0
    assert "\r" not in piped.stderr + piped.stdout and "making cards" not in piped.stderr


def test_written_files_can_be_read_as_other_new_files_can(tmp_path: Path) -> None:
    # A deck is shared; the ledger is kept with the notes: neither is private to its maker.
    notes = tmp_path / "notes"
    write(notes / "a.md", "# T\n- A record - hostname to IPv4\n")
    command = [sys.executable, "-m", "notes2anki", "build", str(notes), "-o", str(tmp_path / "o")]
    assert subprocess.run(command, capture_output=True, check=False, umask=0o027).returncode == 0
    deck = next((tmp_path / "o").glob("*.apkg"))
    for path in (deck, tmp_path / "o" / "CHANGELOG.md", notes / "notes2anki.lock"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o640, path
    # A file already there keeps its own mode.
    (notes / "notes2anki.lock").chmod(0o664)
    write(notes / "a.md", "# T\n- A record - hostname to IPv4 and more\n")
    assert subprocess.run(command, capture_output=True, check=False, umask=0o077).returncode == 0
    assert stat.S_IMODE((notes / "notes2anki.lock").stat().st_mode) == 0o664


def test_version_names_the_installed_package() -> None:
    from importlib.metadata import version

    result = run("-m", "notes2anki", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"notes2anki {version('notes2anki')}\n"


def test_help_shows_defaults_and_examples() -> None:
    top = run("-m", "notes2anki", "--help")
    assert top.returncode == 0 and "notes2anki build exam.md" in top.stdout
    for command, default in (("build", "dist"), ("preview", "preview"), ("watch", "dist")):
        shown = run("-m", "notes2anki", command, "--help").stdout
        assert f"(default: {default})" in shown, shown
        assert "examples:" in shown and "NOTES defaults to this folder" in shown
    assert "--name NAME" in run("-m", "notes2anki", "init", "--help").stdout


def test_verbose_says_why_lines_that_state_no_fact_made_no_card(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = verbose_build(
        tmp_path,
        capsys,
        "# VPC\n"
        "- Layout of a typical VPC:\n\n![VPC](vpc.png)\n\n"
        "- The following table highlights the differences between NACLs and subnets.\n"
        "- A route table decides where traffic from a subnet is sent next.\n"
        "- This means that every subnet needs a route table of its own.\n"
        "- Scaling can be done in various ways:\n"
        "  - Auto Scaling can scale on demand, when the CloudWatch alarms that you set on your"
        " instances go off.\n"
        "  - Auto Scaling can keep the current number of instances running at all times, even"
        " when some of them fail.\n"
        "- Auto Scaling can scale on demand, when thresholds set on your instances are reached"
        " by the load.\n"
        "## Routes\nA route table sends the traffic of a subnet onward.\nFor example, a subnet"
        " sends its traffic to a gateway.\nEach subnet has exactly one route table.\n"
        '## Scanner\n- "+": one or more of the symbol before it\n'
        '- "?": the symbol before it is optional\n- **Longest match** TODO\n'
        "- **References**\n  - https://example.com/lex\n",
    )
    assert "a.md:2: no card: a caption: the picture under it is not an answer to recall" in out
    assert "a.md:6: no card: points at a picture or table" in out
    assert "a.md:8: no card: goes on from the item before it" in out
    assert "a.md:9: no card: leads sentences too long to recall as one list" in out
    # The line that states a fact, and the sentences under the lead, each made a card.
    assert "a.md:7: no card" not in out
    assert "a.md:10: no card" not in out and "a.md:11: no card" not in out
    # A long sentence whose best phrase is one everyday word has no key to recall.
    assert "a.md:12: no card: no phrase stands out as the key of its sentences" in out
    # A paragraph's sentences are facts of their own; one that gives an example is none.
    assert "a.md:15: no card: an example of what the line before it says" in out
    assert "a.md:14: no card" not in out and "a.md:16: no card" not in out
    # A placeholder and a reading list are no facts; terms of symbols alone ("+", "?") fold to
    # nothing, and each still makes its own card.
    assert "a.md:20: no card: a placeholder the notes have yet to fill" in out
    assert "a.md:21: no card: names a list of links to read, not a fact" in out
    assert "a.md:22: no card: a link, not a fact" in out
    assert "a.md:18: no card" not in out and "a.md:19: no card" not in out
    assert "same basic card" not in out


def test_verbose_lists_the_cards_the_gate_left_out_and_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = verbose_build(
        tmp_path,
        capsys,
        "# Tips\n"
        "- Tag every resource with its **owner and cost center\n"
        "- Cache: Cache\n"
        "- [[STP]] elects a [[Networking/Root bridge|root bridge]] in each VLAN\n",
    )
    # Bold that never closes would show its ** on the card; an answer that repeats the
    # question asks nothing. Both are listed with where and why, and nothing else is lost.
    assert "a.md:2: no card: it would show markup as text (**)" in out
    assert "a.md:3: no card: its answer repeats its question" in out
    assert "a.md:4:" not in out
    assert "1 of 3 items on a card (33%); 2 made no card" in out


def test_coverage_counts_table_rows_quotes_and_exam_questions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = verbose_build(
        tmp_path,
        capsys,
        "# Codes\n| Code | Meaning | Class |\n| --- | --- | --- |\n| 404 | Not found | client |\n\n"
        "# Storage\n|  | EBS | EFS |\n| --- | --- | --- |\n| Scope | one AZ | many AZs |\n\n"
        "> [!tip] Exam\n> - Snapshots - stored in S3\n\n"
        "1. Which port does HTTPS use?\n    - A. 80\n    - B. 443\n    - Correct answer: B\n",
    )
    # Two table rows, the callout's item and the exam question: all counted.
    assert "3 of 4 items on a card (75%); 1 made no card" in out
    assert "a.md:4: no card: a table row, in no comparison" in out
