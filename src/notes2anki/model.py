"""Frozen values handed from one pipeline stage to the next."""

from __future__ import annotations

import re
from enum import StrEnum

from notes2anki.frozen import frozen


@frozen(order=True)
class Loc:
    """A place in the notes: a path relative to the notes folder and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        """Show the place as ``path:line``, the form editors jump to."""
        return f"{self.path}:{self.line}"

    @classmethod
    def read(cls, shown: str) -> Loc:
        """Read a place shown as ``path:line``; one without a line number is at line 0."""
        path, _, line = shown.rpartition(":")
        return cls(path, int(line) if line.isdigit() else 0)

    def __reduce__(self) -> tuple[type[Loc], tuple[str, int]]:
        """Pickle as a call with the values, far quicker than the generic dataclass state."""
        return (Loc, (self.path, self.line))


@frozen
class SourceFile:
    """One Markdown file read from the notes folder, decoded and with line endings normalised."""

    path: str
    text: str


@frozen
class Attachment:
    """A block that belongs to an item: fenced code, a display formula, or an image."""

    kind: str  # "code", "diagram" (drawn in a code block), "math" or "image"
    text: str
    loc: Loc
    language: str = ""


@frozen
class Item:
    """One list item (or a line recovered as one), with the items nested under it."""

    text: str
    loc: Loc
    children: tuple[Item, ...] = ()
    ordered: bool = False
    attachments: tuple[Attachment, ...] = ()
    # The term the item defines, when its place says so (a heading over its paragraph).
    term: str = ""
    # A paragraph of prose, not a list's entry: it speaks of its heading, not of the line above.
    prose: bool = False


@frozen
class Table:
    """A GFM table: header cells and body rows, as inline Markdown."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    loc: Loc
    row_locs: tuple[Loc, ...] = ()  # where each body row stands

    def row_loc(self, index: int) -> Loc:
        """Return where a body row stands, or the table's place when unknown."""
        return self.row_locs[index] if index < len(self.row_locs) else self.loc


@frozen
class Section:
    """A heading or pseudo-heading with the items and tables under it, and its subsections."""

    title: str
    loc: Loc
    path: tuple[str, ...]
    deck: tuple[str, ...]
    items: tuple[Item, ...] = ()
    children: tuple[Section, ...] = ()
    tables: tuple[Table, ...] = ()

    def walk(self) -> tuple[Section, ...]:
        """Return this section and all below it, in document order."""
        found: list[Section] = [self]
        for child in self.children:
            found.extend(child.walk())
        return tuple(found)


@frozen
class Document:
    """The section tree of one notes file."""

    source: SourceFile
    root: Section
    first_heading: str | None
    # What a vault app's marks say of the file: the deck its front matter names, its own tags,
    # and the tags written on an item's line ("- Max object size - 5 TB #exam").
    deck: str | None = None
    tags: tuple[str, ...] = ()
    line_tags: tuple[tuple[int, tuple[str, ...]], ...] = ()
    embeds: tuple[tuple[int, str], ...] = ()  # (line, note) of each note embedded in another


class Kind(StrEnum):
    """The card kinds, named as in deck.toml and in note GUIDs."""

    BASIC = "basic"
    CLOZE = "cloze"
    COMPARE = "compare"
    WHICH = "which"
    QUIZ = "quiz"


@frozen
class Fact:
    """A statement taken from one item, split into term and definition where the notes do so."""

    text: str
    loc: Loc
    section: Section
    context: tuple[str, ...] = ()
    term: str | None = None
    definition: str | None = None
    separator: str = ""
    children: tuple[Fact, ...] = ()
    ordered: bool = False
    explicit: Kind | None = None
    question: bool = False
    subject: str | None = None
    attachments: tuple[Attachment, ...] = ()
    # An exam question's right options, whose other options are never facts.
    answers: tuple[str, ...] = ()
    # A line that is only a link (a reading list, "View solution"): no fact to ask about.
    reference: bool = False
    # A link to read elsewhere, named or labelled ("Read more: https://…"): no part of the
    # answer of the fact above it (a bare "s3://bucket/key" under a line may be its answer).
    points_away: bool = False
    # A sentence of prose, which mostly explains: no terse line of notes.
    prose: bool = False

    @property
    def is_pair(self) -> bool:
        """Tell whether the fact reads as a short term with a definition."""
        return self.term is not None and bool(self.definition)

    @property
    def is_caption(self) -> bool:
        """Tell whether the fact only introduces pictures: nothing under it to recall."""
        return not self.children and self._pictured and self.is_lead

    @property
    def is_lead(self) -> bool:
        """Tell whether the fact leads what is under it, as "Benefits:" leads its list."""
        if self.is_pair or self.explicit is not None:
            return False
        # A whole sentence states a fact of its own: the items under it add to it, and a
        # picture after it shows it. Code after it is still its answer.
        if any(attachment.kind == "code" for attachment in self.attachments):
            return True
        # Links under it ("References" over URLs) are somewhere to read, not what it leads.
        led = bool(self.attachments) or any(not child.points_away for child in self.children)
        if led and not self.children and self._pictured:
            # "Frame layout:", "Architecture overview" name the picture under them; a longer line
            # without a colon says something of its own ("… are called **long costs**").
            led = self.text.rstrip(" *_").endswith(":") or len(self.text.split()) <= CAPTION_WORDS
        return led and not _STATEMENT.search(self.text)

    @property
    def _pictured(self) -> bool:
        """Tell whether all the fact has under it is pictures."""
        return bool(self.attachments) and all(
            attachment.kind in ("image", "diagram") for attachment in self.attachments
        )


# A caption of a picture is a label of at most this many words, unless it ends with a colon.
CAPTION_WORDS = 6
# A sentence ends with its stop, and may close a parenthesis or emphasis after it.
_STATEMENT = re.compile(r"\w\W*[.\u3002][)\]\"'*_]*\s*$")


@frozen
class WhichOne:
    """A fact that belongs to one subject of a comparison: shown text and the subject it names."""

    shown: str
    answer: str
    loc: Loc
    # Asks for one side of a row given the other's ("Security Group: stateful; NACL?"): the
    # answer is a trait, not one of the subjects to choose from.
    contrast: bool = False


@frozen
class Comparison:
    """Subjects compared in a section or table, what each is said to be, and the which-one facts."""

    title: str
    subjects: tuple[str, ...]
    loc: Loc
    rows: tuple[tuple[str, tuple[str, ...]], ...] = ()
    table: Table | None = None
    which: tuple[WhichOne, ...] = ()
    covers: tuple[Loc, ...] = ()


@frozen
class SectionFacts:
    """One section's facts and the comparisons found in it: what the rules read."""

    section: Section
    facts: tuple[Fact, ...]
    comparisons: tuple[Comparison, ...] = ()
