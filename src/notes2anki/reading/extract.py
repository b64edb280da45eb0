"""Turn the items of a section into Facts: term and definition split, nesting kept as context."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from notes2anki.model import Fact, Item, Kind, Section, SectionFacts
from notes2anki.pairs import Pair, is_term, split_pair, strip_lead
from notes2anki.reading.comparisons import find_comparisons
from notes2anki.reading.pointers import (
    heads_reading_list,
    illustrates,
    is_reference,
    points_at_page,
    points_away,
    points_back,
    unwritten,
)
from notes2anki.reading.questions import (
    answered,
    ends_asking,
    exam_question,
    is_quiz_title,
    question_of,
)
from notes2anki.reading.subjects import CompareWords
from notes2anki.reading.tables import is_lookup
from notes2anki.spans import explicit_gaps, explicit_pair


def read_facts(section: Section, compare_words: CompareWords) -> SectionFacts:
    """Read one section's items (not its subsections') into Facts, and find its comparisons."""
    in_quiz = is_quiz_title(section.title)
    # The rows of a lookup table are a glossary's entries, in their place among the items.
    rows = [
        Item(f"{row[0]}: {row[1]}", table.row_loc(index), term=row[0])
        for table in section.tables
        if is_lookup(table)
        for index, row in enumerate(table.rows)
        if len(row) > 1 and row[1].strip()
    ]
    items = (
        tuple(sorted((*section.items, *rows), key=lambda item: item.loc)) if rows else section.items
    )
    if _answers_title(section, items, in_quiz):
        # "### Is every AWS service supported?" over a list: the list is the answer, and the
        # question is the card; its entries are facts under it.
        items = (Item(section.title, section.loc, children=items),)
    facts = tuple(
        # An item that goes on from the one before ("This means ...") says nothing alone: its
        # card would not show what "this" is. The first item's "this" is the heading's.
        _fact(item, (section, (), in_quiz), follows=_follows(items, index), asked=asked)
        for index, item, asked in _asked_and_answered(items)
    )
    marked, comparisons = find_comparisons(section, facts, compare_words)
    return SectionFacts(section, marked, comparisons)


def _answers_title(section: Section, items: tuple[Item, ...], in_quiz: bool) -> bool:
    """Tell whether a section's list answers the question its title asks."""
    return (
        bool(items)
        and not in_quiz
        and not section.tables
        and ends_asking(section.title)
        and not any(item.prose or item.term for item in items)
    )


def _asked_and_answered(items: tuple[Item, ...]) -> list[tuple[int, Item, Pair | None]]:
    """List the items, a question joined with the answer on the line after it ("A: …")."""
    joined: list[tuple[int, Item, Pair | None]] = []
    index, count = 0, len(items)
    while index < count:
        item = items[index]
        after = items[index + 1] if index + 1 < count else None
        asked = answered(item.text, after.text) if after is not None else None
        if after is not None and asked is not None:
            # The answer's line is the question's: its items and pictures go with it.
            children = item.children + after.children
            attachments = item.attachments + after.attachments
            joined.append((index, replace(item, children=children, attachments=attachments), asked))
            index += 2
        else:
            joined.append((index, item, None))
            index += 1
    return joined


def _follows(items: tuple[Item, ...], index: int) -> bool:
    """Tell whether a list entry goes on from the entry before it ("This means ...")."""
    return (
        index > 0
        and not items[index].prose
        and not items[index - 1].prose
        and points_back(items[index].text)
    )


def walk(facts: tuple[Fact, ...]) -> Iterator[Fact]:
    """Yield facts and the facts nested under them, depth first in document order."""
    for fact in facts:
        yield fact
        yield from walk(fact.children)


# Words that label a remark rather than name a term, in the languages notes are written in.
_NOTE_LABEL_TEXT = (
    "remember note notes tip tips important warning caution hint example info attention reminder"
    " beachte hinweis wichtig achtung tipp beispiel merke nota importante ojo recuerda ejemplo"
    " consejo aviso remarque astuce exemple rappel 注意 提示 备注 例如 注"
    # A theorem and its kin in notes on mathematics: the statement is the fact.
    " theorem lemma corollary proposition remark proof observation teorema lema corolario"
    " proposición observación demostración satz korollar bemerkung beweis théorème lemme"
    " corollaire preuve"
)
_NOTE_LABELS = frozenset(_NOTE_LABEL_TEXT.split())


def _plain_term(text: str) -> str:
    return text.strip("*_ :\uff1a").casefold()


def is_note_label(text: str) -> bool:
    """Tell whether text labels a remark rather than names a term: "**Note:**", "Teorema"."""
    return _plain_term(text) in _NOTE_LABELS


def prompt_of(fact: Fact) -> str:
    """Return what a fact is about: its term, or its lead without a trailing separator."""
    return fact.term if fact.term is not None else strip_lead(fact.text)


# Where an item stands: its section, the items above it, and whether it is in a quiz section
# (a plain tuple: one is made for every item).
_Under = tuple[Section, tuple[str, ...], bool]


def _fact(item: Item, under: _Under, follows: bool = False, asked: Pair | None = None) -> Fact:
    """Read an item as a fact: a term and definition, a question, a pointer, or a statement."""
    section, context, in_quiz = under
    text = item.text
    exam = (
        exam_question(text, tuple(child.text for child in item.children)) if item.children else None
    )
    if exam is not None:
        # The question asks for its right options; the wrong ones are taught as nothing, and
        # without its answer in the notes it asks nothing at all.
        return Fact(
            text=text,
            loc=item.loc,
            section=section,
            context=context,
            term=exam.question if exam.answers else None,
            definition="; ".join(exam.answers) or None,
            separator="?",
            question=True,
            attachments=item.attachments,
            answers=exam.answers,
        )
    if _points_elsewhere(item, follows):
        return Fact(
            text,
            item.loc,
            section,
            context,
            children=tuple(_fact(child, under) for child in item.children),
            reference=True,
            points_away=points_away(text),
        )
    pair, explicit, question = _shape(item, in_quiz, asked)
    inner = (*context, pair.left if pair is not None else strip_lead(text))
    if not context and text == section.title:
        inner = ()  # a title asking what its list answers: the breadcrumb names it already
    return Fact(
        text=text,
        loc=item.loc,
        section=section,
        context=context,
        term=pair.left if pair is not None else None,
        definition=pair.right if pair is not None else None,
        separator=pair.separator if pair is not None else "",
        children=tuple(
            _fact(child, (section, inner, in_quiz), asked=child_asked)
            for _, child, child_asked in _asked_and_answered(item.children)
        )
        if item.children
        else (),
        ordered=any(child.ordered for child in item.children),
        explicit=explicit,
        question=question,
        attachments=item.attachments,
        prose=item.prose,
    )


def _points_elsewhere(item: Item, follows: bool) -> bool:
    """Tell whether an item points at something rather than saying it: a link, a picture."""
    text = item.text
    return (
        is_reference(text)
        or (
            not item.children
            and (follows or points_at_page(text) or illustrates(text) or unwritten(text))
        )
        or (heads_reading_list(text) and all(is_reference(child.text) for child in item.children))
    )


def _shape(item: Item, in_quiz: bool, asked: Pair | None) -> tuple[Pair | None, Kind | None, bool]:
    """Read an item's shape: its term and definition, the card its syntax asks for, a question."""
    text = item.text
    explicit: Kind | None = None
    question = False
    # A term given by the item's place (a heading over its paragraph) is taken as given;
    # explicit syntax wins over every reading of the line's shape.
    if asked is not None:
        pair: Pair | None = asked
        question = True
    elif item.term:
        pair = Pair(item.term, ":", text.removeprefix(f"{item.term}: "))
    elif (pair := explicit_pair(text)) is not None:
        explicit = Kind.BASIC
    elif explicit_gaps(text):
        explicit = Kind.CLOZE
    else:
        pair = question_of(text, in_quiz)
        question = pair is not None
        if pair is None:
            found = split_pair(text)
            # "Remember: crictl is for debugging" labels a fact; it defines no term.
            labelled = found is not None and is_note_label(found.left)
            pair = found if found is not None and is_term(found.left) and not labelled else None
    return pair, explicit, question
