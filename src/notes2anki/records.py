"""Hold what rules make and builds count: card specs, notes, what was left out, and tallies."""

from __future__ import annotations

from notes2anki.frozen import frozen
from notes2anki.model import Attachment, Comparison, Kind, Loc, Section


@frozen
class Segment:
    """A run of inline Markdown in a cloze text; ``hidden`` is its cloze number, 0 if shown."""

    markdown: str
    hidden: int = 0


@frozen
class CardSpec:
    """What one note should say, in Markdown, before identity and rendering."""

    kind: Kind
    prompt: str
    loc: Loc
    section: Section
    context: tuple[str, ...]
    front: str = ""
    back: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()
    ordered: bool = False
    segments: tuple[Segment, ...] = ()
    choices: tuple[str, ...] = ()
    comparison: Comparison | None = None
    attachments: tuple[Attachment, ...] = ()
    covers: tuple[Loc, ...] = ()


# What --verbose tells of a line besides what it left out: "embeds the note …".
NOTICE = "notice"


@frozen
class Skipped:
    """An item that made no card, or a card left out, and why."""

    loc: Loc
    reason: str
    card: str = ""  # the kind of card left out; "" for an item that made none; NOTICE for a remark


@frozen
class Note:
    """A note ready for packaging: identity, rendered fields, deck, tags and mod time."""

    guid: str
    kind: Kind
    deck: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    mod: int
    loc: Loc
    id: int = 0

    def __reduce__(self) -> tuple[type[Note], tuple[object, ...]]:
        """Pickle as a call with the values, far quicker than the generic dataclass state."""
        return (
            Note,
            (self.guid, self.kind, self.deck, self.fields, self.tags, self.mod, self.loc, self.id),
        )


@frozen
class Tally:
    """How many notes of each kind some notes are, and how many cards they make."""

    notes_per_kind: tuple[tuple[str, int], ...]
    cards: int


@frozen
class Summary:
    """What a build read and made, for the CLI to report."""

    files: int
    sections: int
    facts: int
    notes_per_kind: tuple[tuple[str, int], ...]
    cards: int
    skipped: tuple[Skipped, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def covered_share(self) -> float:
        """Return the share of facts (one per list item) that appear on some card."""
        if self.facts == 0:
            return 1.0
        return (self.facts - self.uncarded) / self.facts

    @property
    def left_out(self) -> int:
        """Return how many cards the gate left out."""
        return sum(1 for skipped in self.skipped if skipped.card and skipped.card != NOTICE)

    @property
    def uncarded(self) -> int:
        """Return how many facts made no card."""
        return sum(1 for skipped in self.skipped if not skipped.card)
