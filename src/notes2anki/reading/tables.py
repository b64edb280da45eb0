"""Read a table that sets subjects side by side as a comparison, and a lookup table as none."""

from __future__ import annotations

from dataclasses import replace

from notes2anki.model import Comparison, Loc, Section, Table, WhichOne
from notes2anki.reading.subjects import (
    ATTRIBUTE_LABELS,
    MAX_SUBJECT_WORDS,
    MAX_SUBJECTS,
    masker,
    subject_name,
)
from notes2anki.text import normalize, words


def is_lookup(table: Table) -> bool:
    """Tell whether a table looks values up by key ("| Duration | Acceptable downtime |")."""
    # Two columns under two labels, the first of short keys: each row is a term and its
    # value, a glossary entry. Long first cells are statements set against the second's.
    return _two_columns(table) and all(
        row and 0 < words(row[0]) <= MAX_SUBJECT_WORDS for row in table.rows
    )


def _sides(table: Table, names: list[str]) -> bool:
    """Tell whether a two-column table sets statements of two named subjects side by side."""
    return (
        _two_columns(table)
        and all(0 < words(name) <= MAX_SUBJECT_WORDS for name in names)
        and any(row and words(row[0]) > MAX_SUBJECT_WORDS for row in table.rows)
    )


def _two_columns(table: Table) -> bool:
    """Tell whether a table has rows under two columns, the first headed by a name."""
    first = subject_name(table.header[0]) if len(table.header) == 2 else ""
    return bool(first and table.rows) and normalize(first) not in ATTRIBUTE_LABELS


def table_comparison(
    section: Section, table: Table, title_subjects: tuple[str, ...]
) -> Comparison | None:
    """Read a table whose rows or columns are rival subjects as their comparison, else None."""
    if len(table.header) < 2 or not table.rows or is_lookup(table):
        return None
    names = [subject_name(cell) for cell in table.header]
    if _sides(table, names):
        # "| NACL | Security Group |" over rows of statements: each row sets one side against
        # the other, and its card asks for one given the other.
        first, second = names
        contrasts = tuple(
            WhichOne(f"{second}: {row[1]} \u2014 {first}?", row[0], table.row_loc(index), True)
            for index, row in enumerate(table.rows)
            if len(row) > 1 and row[0].strip() and row[1].strip()
        )
        title = section.title if title_subjects else f"{first} vs {second}"
        return Comparison(title, (first, second), table.loc, (), table, contrasts, table.row_locs)
    wanted = {normalize(subject) for subject in title_subjects}
    header_names_subjects = (
        not names[0]
        or normalize(names[0]) in ATTRIBUTE_LABELS
        or len(wanted & {normalize(name) for name in names[1:]}) >= 2
    )
    if header_names_subjects:
        subjects = tuple(name for name in names[1:] if name)
    else:
        subjects = tuple(subject_name(row[0]) for row in table.rows if row and row[0].strip())
    if len(subjects) < 2:
        return None
    title = section.title if title_subjects else " vs ".join(subjects)
    # A larger table is a reference, shown whole in its Compare note: no which-one cards.
    which = (
        _which_cells(table, names if header_names_subjects else None)
        if len(subjects) <= MAX_SUBJECTS
        else []
    )
    mask = masker(subjects)
    masked = tuple(replace(one, shown=mask(one.shown)) for one in which)
    # The Compare note shows every row: each is on a card.
    return Comparison(title, subjects, table.loc, (), table, masked, table.row_locs)


def _which_cells(table: Table, names: list[str] | None) -> list[WhichOne]:
    """Find the cells that tell a table's subjects apart, by row or by column of subjects."""
    # Names: the header's cells as subjects, when the header names them. Each card stands
    # where its cell's row does.
    which: list[WhichOne] = []
    if names is not None:
        for index, row in enumerate(table.rows):
            values = dict(zip(names[1:], row[1:], strict=False))
            places = dict.fromkeys(values, table.row_loc(index))
            which += _unique_values(row[0], values, places)
    else:
        places = {
            subject_name(row[0]): table.row_loc(index)
            for index, row in enumerate(table.rows)
            if row
        }
        for column, attribute in enumerate(table.header[1:], start=1):
            values = {subject_name(row[0]): row[column] for row in table.rows if len(row) > column}
            which += _unique_values(attribute, values, places)
    return which


def _unique_values(
    attribute: str, values: dict[str, str], places: dict[str, Loc]
) -> list[WhichOne]:
    """Keep the cells whose value no other subject shares: those tell the subjects apart."""
    seen = [normalize(value) for value in values.values()]
    return [
        WhichOne(f"{attribute}: {value}" if attribute.strip() else value, subject, places[subject])
        for subject, value in values.items()
        if subject.strip() and normalize(value) and seen.count(normalize(value)) == 1
    ]
