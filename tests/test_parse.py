"""The outline parse: leaving out the block rules a text cannot use changes none of its blocks."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from notes2anki.reading.parse import _outline_parser, _tree, outline_parser
from notes2anki.reading.sources import decode
from tests.helpers import sections_view

# Pieces of lines that open (or nearly open) every kind of block, in every container.
_INDENTS = ["", " ", "  ", "   ", "    ", "\t"]
_MARKERS = ["", "- ", "* ", "+ ", "1. ", "2) ", "> ", ">", "> > ", "- > ", "> - ", "10. "]
_MARKERS += ["-     ", ">     ", "1.\t", ">\t", "  -   "]
_CONTENTS = [
    "Foo bar",
    "x = y",
    "a -> b",
    "a ==> b",
    "| a | b |",
    "|---|---|",
    "a | b",
    "--- | ---",
    "---",
    "--",
    "-",
    "***",
    "* * *",
    "_ _ _",
    "___",
    "===",
    "=",
    "= =",
    "```",
    "```python",
    "~~~",
    "``",
    "$$",
    "$$ x^2 $$",
    "$x$",
    "<div>",
    "</div>",
    "<!-- note -->",
    "a < b",
    "[foo]: /url",
    "[foo]",
    "[foo]:",
    "# Heading",
    "###### Small",
    "#tag",
    "#",
    "##\tTabbed",
    "",
    " ",
]
_LINES = st.builds(
    lambda indent, marker, content: indent + marker + content,
    st.sampled_from(_INDENTS),
    st.sampled_from(_MARKERS),
    st.sampled_from(_CONTENTS),
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_LINES, min_size=1, max_size=10))
def test_leaving_out_rules_the_text_cannot_use_parses_the_same_blocks(lines: list[str]) -> None:
    text = "\n".join(lines)
    every_rule = _outline_parser(())
    assert _tree(outline_parser(text).parse(text)) == _tree(every_rule.parse(text))


def test_a_list_of_facts_is_parsed_without_the_rules_it_cannot_use() -> None:
    text = "Topic\n1. Term - what it means\n2. Limit = 300 per second\n"
    left_out = set(_outline_parser(()).block.ruler.get_active_rules()) - set(
        outline_parser(text).block.ruler.get_active_rules()
    )
    assert {"table", "fence", "blockquote", "html_block", "heading", "lheading"} <= left_out


def test_a_bullet_pasted_with_a_no_break_space_after_it_is_a_list_item() -> None:
    raw = "# Review\n\n* Each manager gets 8 minutes\n*\u00a0Project updates\n"
    raw += "2.\u00a0Team metrics\n"
    view = sections_view(decode(raw.encode(), "case.md"))
    assert view.splitlines() == [
        "## Review",
        "- Each manager gets 8 minutes",
        "- Project updates",
        "- Team metrics",
    ]
    # A no-break space anywhere is read as the space it shows: an editor that writes one for
    # every space changes no card (tests/test_history.py).
    assert decode("Costs 5\u00a0GB\u202fin all\n".encode(), "case.md") == "Costs 5 GB in all\n"
