"""Markdown in, expected sections and cards out: one case per parsing or card rule."""

from __future__ import annotations

import pytest

from tests.helpers import Case, cards_view, read_cases, sections_view


def _params(name: str) -> list[object]:
    return [pytest.param(case, id=f"{name}:{case.line}") for case in read_cases(name)]


@pytest.mark.parametrize("case", _params("sections.md"))
def test_sections(case: Case) -> None:
    assert sections_view(case.source) == case.expected, case.title


@pytest.mark.parametrize("case", _params("basic.md") + _params("cloze.md"))
def test_basic_and_cloze_rules(case: Case) -> None:
    # Each rule on its own: comparisons and quizzes would take some of these facts.
    assert cards_view(case.source, ("basic", "cloze")) == case.expected, case.title


@pytest.mark.parametrize(
    "case",
    _params("compare.md") + _params("quiz.md") + _params("explicit.md") + _params("nocard.md"),
)
def test_all_rules_together(case: Case) -> None:
    assert cards_view(case.source) == case.expected, case.title


@pytest.mark.parametrize("case", _params("vault.md"))
def test_notes_of_a_vault(case: Case) -> None:
    # Notes in an Obsidian vault: "%%" opens a comment there.
    assert cards_view(case.source, obsidian=True) == case.expected, case.title


def test_fixture_files_hold_cases() -> None:
    # A broken fixture file must not silently turn into zero cases.
    assert len(read_cases("sections.md")) >= 15
    assert len(read_cases("basic.md")) >= 8
    assert len(read_cases("cloze.md")) >= 10
    assert len(read_cases("compare.md")) >= 10
    assert len(read_cases("quiz.md")) >= 4
    assert len(read_cases("explicit.md")) >= 5
    assert len(read_cases("nocard.md")) >= 7
    assert len(read_cases("vault.md")) >= 5
