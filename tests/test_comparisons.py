"""Hiding the subjects of a comparison in its cards."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from notes2anki.reading.subjects import masker

SUBJECTS = ("EBS", "Amazon S3", "Café Latte", "Élan")
# Words that hold a subject's letters without naming it, in ASCII and beyond.
FILLER = ("ebsx", "xebs", "amazonian", "s3", "latte", "cafés", "élanx", "plain", "é", "s")


def _any_case(text: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(text), max_size=len(text)).map(
        lambda upper: "".join(c.upper() if up else c for c, up in zip(text, upper, strict=True))
    )


def _mention(subject: str) -> st.SearchStrategy[tuple[str, str]]:
    spaced = st.sampled_from((" ", "  ", "\t")).map(lambda gap: gap.join(subject.split()))
    plural = st.sampled_from(("", "s", "es"))
    return st.tuples(spaced.flatmap(_any_case), plural).map(lambda m: (m[0] + m[1], subject))


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(SUBJECTS), min_size=1, max_size=3, unique=True),
    st.lists(
        st.one_of(
            st.sampled_from(FILLER).map(lambda word: (word, "")),
            st.sampled_from(SUBJECTS).flatmap(_mention),
        ),
        max_size=6,
    ),
)
def test_every_mention_is_hidden_and_nothing_else(
    subjects: list[str], units: list[tuple[str, str]]
) -> None:
    # ASCII texts take a quicker way than the others; both must hide the same words.
    text = " ".join(unit for unit, _ in units)
    expected = " ".join("[…]" if named in subjects else unit for unit, named in units)
    assert masker(subjects)(text) == expected


def test_a_subject_is_hidden_within_a_longer_name_and_in_any_case() -> None:
    mask = masker(["S3", "EBS"])
    assert mask("Amazon s3 beats ebses, not ebsx") == "Amazon […] beats […], not ebsx"
    assert masker(["Amazon S3", "S3"])("amazon  S3 and S3") == "[…] and […]"
    assert masker(["Élan"])("ÉLAN and élans and élanx") == "[…] and […] and élanx"


def test_no_subjects_hide_nothing() -> None:
    assert masker([])("EBS and EFS") == "EBS and EFS"
