"""The user's own notes: coverage, the cards the issue names, and no broken cards."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from notes2anki.building.pipeline import BuildOptions, BuildResult, build
from notes2anki.cards.render import visible_text
from notes2anki.model import Kind


@pytest.fixture
def seed_build(seed_notes: Path, tmp_path: Path) -> BuildResult:
    return build(BuildOptions(seed_notes, tmp_path / "dist"))


def test_at_least_nine_in_ten_items_are_on_a_card(seed_build: BuildResult) -> None:
    summary = seed_build.summary
    assert summary.files == 1
    assert summary.facts > 400  # the seed's list items, recovered ones included
    assert summary.covered_share >= 0.90, [str(s.loc) for s in summary.skipped]


def test_term_definition_card_with_breadcrumb(seed_build: BuildResult) -> None:
    basics = [n for n in seed_build.notes if n.kind is Kind.BASIC]
    _, back, _, context, _ = next(n.fields for n in basics if n.fields[0] == "A record")
    assert back == "hostname to IPv4"
    assert context == "Route 53"


@pytest.mark.parametrize(
    "expected",
    ["Defaut cooldown period = {{c1::300 secs}}", "Max Object size = {{c1::5 TB}}"],
)
def test_figures_become_cloze_gaps(seed_build: BuildResult, expected: str) -> None:
    texts = [n.fields[0] for n in seed_build.notes if n.kind is Kind.CLOZE]
    assert any(text.startswith(expected) for text in texts)


def test_plain_text_repairs_reach_the_cards(seed_build: BuildResult) -> None:
    fields = [" ".join(n.fields) for n in seed_build.notes]
    # "8 ELB - EC2 LB - managed LB" lost its dot; it is still its own fact.
    assert any(
        n.fields[0] == "ELB" and n.fields[1] == "EC2 LB - managed LB" for n in seed_build.notes
    )
    # The "Demo notes" written as indented prose are recovered.
    assert any("REPLICA" in text and "Demo notes" in text for text in fields)


def test_no_cloze_without_a_gap_no_empty_side_no_duplicate(seed_build: BuildResult) -> None:
    notes = seed_build.notes
    assert len({n.guid for n in notes}) == len(notes)
    for note in notes:
        if note.kind is Kind.CLOZE:
            numbers = re.findall(r"\{\{c(\d+)::(.+?)\}\}", note.fields[0])
            assert numbers, note.loc
            assert all(hidden.strip() for _, hidden in numbers), note.loc
        else:
            assert visible_text(note.fields[0]) and visible_text(note.fields[1]), note.loc
    decks = {n.deck for n in notes}
    assert "AWS DVA-C01::Route 53" in decks
    assert all(n.tags[0].startswith("AWS_DVA-C01::") for n in notes)


@pytest.mark.parametrize(
    ("section", "answers"),
    [
        ("EBS v EFS", {"can be mounted to 100s of EC2": "EFS", "can be attached to 1 EC2": "EBS"}),
        ("CNAME vs Alias", {"hostname to hostname": "CNAME", "Free, Native Health check": "Alias"}),
        (
            "EBS Volume v Instance store",
            {"ephemeral storage, physically attached": "Instance store"},
        ),
        ("Cross zone LB", {"always ON": "ALB", "Charged for inter AZ data": "NLB"}),
    ],
)
def test_comparisons_make_compare_notes_and_which_one_cards(
    seed_build: BuildResult, section: str, answers: dict[str, str]
) -> None:
    in_section = [n for n in seed_build.notes if n.tags[0].endswith("::" + _tag(section))]
    compares = [n for n in in_section if n.kind is Kind.COMPARE]
    assert len(compares) == 1
    assert "<table" in compares[0].fields[1]
    which = {
        visible_text(n.fields[0]): visible_text(n.fields[1])
        for n in in_section
        if n.kind is Kind.WHICH
    }
    for shown, subject in answers.items():
        assert [answer for front, answer in which.items() if shown in front] == [subject]


def test_a_which_one_card_never_names_its_answer(seed_build: BuildResult) -> None:
    for note in seed_build.notes:
        if note.kind is Kind.WHICH:
            shown = visible_text(note.fields[0]).split("Which one:")[0]
            assert not re.search(rf"(?<!\w){re.escape(note.fields[1])}(?!\w)", shown), shown


def test_summary_counts_every_kind(seed_build: BuildResult) -> None:
    counts = dict(seed_build.summary.notes_per_kind)
    assert counts["compare"] >= 4 and counts["which"] >= 8 and counts["quiz"] >= 1
    assert sum(counts.values()) == len(seed_build.notes)


def _tag(title: str) -> str:
    return re.sub(r"[^\w.+-]+", "_", title).strip("_")
