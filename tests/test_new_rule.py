"""A new card rule is one module and one fixture file: tests/new_rule holds one, nothing else."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from notes2anki.building.pipeline import BuildOptions, build
from notes2anki.cards import rules
from tests.helpers import case_view, fixture_file, read_cases

NEW_RULE = Path(__file__).parent / "new_rule"


@pytest.fixture
def with_new_rule(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Put the folder's rule module beside the package's rules, as if it were one of them."""
    monkeypatch.setattr(rules, "__path__", [*rules.__path__, str(NEW_RULE)])
    yield
    sys.modules.pop(f"{rules.__name__}.acronyms", None)


def test_the_new_rule_is_a_module_and_a_fixture_file_and_nothing_else() -> None:
    assert sorted(path.name for path in NEW_RULE.iterdir() if path.name != "__pycache__") == [
        "acronyms.md",
        "acronyms.py",
    ]


@pytest.mark.usefixtures("with_new_rule")
def test_a_rule_module_is_a_rule_by_its_name() -> None:
    assert rules.rule_names() == ("basic", "cloze", "compare", "quiz", "acronyms")


@pytest.mark.usefixtures("with_new_rule")
def test_the_new_rule_passes_its_fixture_file() -> None:
    settings = fixture_file(NEW_RULE / "acronyms.md")
    cases = read_cases("acronyms.md", NEW_RULE)
    assert len(cases) == 2
    for case in cases:
        assert case_view(case, settings) == case.expected, case.title


@pytest.mark.usefixtures("with_new_rule")
def test_deck_toml_switches_the_new_rule_on(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "deck.toml").write_text('name = "AWS"\nrules = ["acronyms"]\n', encoding="utf-8")
    (notes / "aws.md").write_text("# Messaging\n\n- SQS (Simple Queue Service)\n", encoding="utf-8")
    built = build(BuildOptions(notes, tmp_path / "out"))
    assert [note.fields[:2] for note in built.notes] == [
        ("What does SQS stand for?", "Simple Queue Service")
    ]


def test_without_the_module_there_is_no_such_rule() -> None:
    assert "acronyms" not in rules.rule_names()
