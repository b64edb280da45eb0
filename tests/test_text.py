"""Reading the shape of a line: key words."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from notes2anki.spans import keywords
from notes2anki.text import fold, normalize

POLARITY = ("cannot", "can't", "not", "never", "only", "always", "must", "mandatory", "no")
OTHER = ("plain", "words", "here", "nothing", "notable", "onlyness", "é", "café", "x")


def _any_case(word: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda upper: "".join(c.upper() if up else c for c, up in zip(word, upper, strict=True))
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(POLARITY).flatmap(lambda word: _any_case(word).map(lambda w: (w, 1))),
            st.sampled_from(OTHER).map(lambda word: (word, 0)),
        ),
        max_size=8,
    )
)
def test_polarity_words_are_found_in_any_case_and_script(tokens: list[tuple[str, int]]) -> None:
    # Lines of plain ASCII take a quicker search than the others; both must find the same words.
    text = " ".join(word for word, _ in tokens)
    expected, offset = [], 0
    for word, polar in tokens:
        if polar:
            expected.append((word, offset, offset + len(word)))
        offset += len(word) + 1
    found = [(word, span.start, span.end) for word, span, rank in keywords(text) if rank == 3]
    assert found == expected


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_ascii_lines_fold_as_unicode_rules_fold_them(text: str) -> None:
    # ASCII takes a short way through normalize; it must agree with the full folding.
    assert normalize(text) == fold(text)


_FRAGMENTS = (
    "plain", "words", "Amazon", "S3", "DynamoDB", "us-east-1", "SSE-C", "v2.1", "x_y", "abc_",
    "a.b", "end.", "It", "A", "no", "NOT", "only", "300", "ms", '"quoted words"', "`code`",
    ":", "-", "=", "(", ")", ".", ",", "The", "Lambda", "Kinesis", "Data", "Streams", "__x",
)  # fmt: skip


_GAPS = ("", " ", "  ", "-")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_FRAGMENTS), st.sampled_from(_GAPS)), max_size=12))
def test_ascii_lines_find_the_key_words_the_general_way_finds(
    pieces: list[tuple[str, str]],
) -> None:
    # ASCII lines pass over their plain words in one search; a word beyond ASCII after a
    # space sends the line the general way and adds no key word of its own.
    text = "".join(fragment + gap for fragment, gap in pieces)
    assert keywords(text) == keywords(f"{text} é")
