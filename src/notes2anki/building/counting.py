"""Count what a build read and made, and keep the first card of each key across its files."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from notes2anki.building.settled import Settled
from notes2anki.building.units import FileResult
from notes2anki.cards.keys import Draft
from notes2anki.cards.notetypes import card_ordinals
from notes2anki.errors import NotesError
from notes2anki.model import Kind, Loc, SourceFile
from notes2anki.records import Note, Summary, Tally


def tally(notes: Sequence[Note], cards: int | None = None) -> Tally:
    """Count notes by kind, and the cards they make (when not counted already)."""
    per_kind = Counter(note.kind for note in notes)
    return Tally(
        tuple(sorted((kind.value, count) for kind, count in per_kind.items())),
        sum(len(card_ordinals(note)) for note in notes) if cards is None else cards,
    )


def summary(
    files: tuple[SourceFile, ...],
    parts: Sequence[FileResult | Settled],
    tallies: Sequence[Tally],
    warnings: Sequence[NotesError],
) -> Summary:
    """Count what the build read and made."""
    per_kind: Counter[str] = Counter()
    for counted in tallies:
        per_kind.update(dict(counted.notes_per_kind))
    return Summary(
        files=len(files),
        sections=sum(part.sections for part in parts),
        facts=sum(part.facts for part in parts),
        notes_per_kind=tuple((kind.value, per_kind[kind.value]) for kind in Kind),
        cards=sum(counted.cards for counted in tallies),
        skipped=tuple(skipped for part in parts for skipped in part.skipped),
        warnings=tuple(str(warning) for warning in warnings),
    )


def media(parts: Iterable[FileResult | Settled]) -> dict[str, bytes]:
    """Gather the media files every file's notes show, by name."""
    return dict(sorted(item for part in parts for item in part.media))


def by_path(notes: Iterable[Note]) -> dict[str, list[Note]]:
    """Group notes by the file they come from, in their order."""
    grouped: dict[str, list[Note]] = {}
    for note in notes:
        grouped.setdefault(note.loc.path, []).append(note)
    return grouped


class FirstCards:
    """The first card of each key across files, kept as files come; the others warned about."""

    def __init__(self) -> None:
        self.seen: dict[str, Loc] = {}
        self.warnings: list[NotesError] = []

    def keep(
        self, drafts: Iterable[Draft], earlier: Mapping[str, Loc] | None = None
    ) -> list[Draft]:
        """Return the drafts whose keys no card before them had; warn about the rest."""
        # Earlier: where reused cards that these drafts repeat stand, by key.
        earlier = earlier or {}
        kept: list[Draft] = []
        for draft in drafts:
            first = earlier.get(draft.digest) or self.seen.get(draft.digest)
            if first is None:
                self.seen[draft.digest] = draft.loc
                kept.append(draft)
                continue
            message = f"same {draft.kind.value} card as {first}; kept that one"
            self.warnings.append(NotesError(draft.loc, message))
        return kept
