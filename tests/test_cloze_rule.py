"""Properties of every cloze the rules make, over lines of notes drawn at random."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notes2anki.cards.frequencies import zipf_table
from notes2anki.cards.phrase_words import COMMON_ZIPF
from notes2anki.text import normalize
from tests.helpers import cards_of

# Grammar words, polarity and counts, next to terms, figures and marks, often repeated.
_PLAIN_WORDS = (
    "the is a of to and can not one only or first with in for never once no "
    "KMS EC2 subnet bucket encrypted replica latency DynamoDB stateless region cache queue"
)
_WORDS = [
    *_PLAIN_WORDS.split(),
    *("Auto Scaling", "5 GB", "300 seconds", "**KMS**", "`aws s3 ls`", "Availability Zone"),
]
# Two lines of plain English before the drawn one, so the notes' language is known.
_NOTES = (
    "# Storage\n## Buckets\n"
    "- The queue keeps each message until a consumer deletes it from the queue\n"
    "- Each bucket holds objects of any size, and you can read them from any region\n"
    "- {line}\n"
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_WORDS), min_size=2, max_size=14))
def test_no_gap_is_a_stop_word_or_shown_again_in_its_text(words: list[str]) -> None:
    commonest = zipf_table("en")
    for spec in cards_of(_NOTES.format(line=" ".join(words)), ("cloze",)):
        for number in {segment.hidden for segment in spec.segments if segment.hidden}:
            hidden = normalize(" ".join(s.markdown for s in spec.segments if s.hidden == number))
            shown = normalize(" ".join(s.markdown for s in spec.segments if s.hidden != number))
            assert hidden, spec.segments
            # A grammar word alone asks nothing of the fact.
            assert " " in hidden or commonest.get(hidden, 0.0) < COMMON_ZIPF, spec.segments
            # The card never shows what it asks for, outside the gap or in another gap.
            assert f" {hidden} " not in f" {shown} ", spec.segments
