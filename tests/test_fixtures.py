"""Markdown in, expected sections or cards out: every fixture file in tests/fixtures, each case."""

from __future__ import annotations

import pytest

from tests.helpers import FIXTURES, Case, FixtureFile, case_view, fixture_file, read_cases


def _params() -> list[object]:
    return [
        pytest.param(case, fixture_file(path), id=f"{path.name}:{case.line}")
        for path in sorted(FIXTURES.glob("*.md"))
        for case in read_cases(path.name)
    ]


@pytest.mark.parametrize(("case", "settings"), _params())
def test_fixture_case(case: Case, settings: FixtureFile) -> None:
    # A file's first line may name the rules it runs (`<!-- rules: basic cloze -->`: each
    # rule on its own, as comparisons and quizzes would take some of these facts), its view
    # (`<!-- view: sections -->`), or that its notes are in a vault (`<!-- vault -->`, where
    # "%%" opens a comment). Without it: every rule's cards.
    assert case_view(case, settings) == case.expected, case.title


def test_fixture_files_hold_cases() -> None:
    # A broken fixture file must not silently turn into zero cases.
    least = {"sections.md": 15, "basic.md": 8, "cloze.md": 10, "compare.md": 10}
    least |= {"quiz.md": 4, "explicit.md": 5, "nocard.md": 7, "vault.md": 5}
    for name, count in least.items():
        assert len(read_cases(name)) >= count, name
    assert all(read_cases(path.name) for path in FIXTURES.glob("*.md"))
