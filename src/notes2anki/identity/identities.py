"""Give drafts their notes as files come in: a GUID, a note id and a mod time each."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from itertools import chain
from operator import attrgetter
from typing import NamedTuple

from notes2anki.cards.keys import Draft
from notes2anki.identity.entries import ID_STRIDE, Entry, changed_time, new_ids
from notes2anki.identity.ledger import Ledger
from notes2anki.identity.matching import assign_guids, file_of, fresh_guid, guids_by_key
from notes2anki.records import Note


class _Kept(NamedTuple):
    """A reused file's notes and their entries, held whole: none of them is identified again."""

    notes: Sequence[Note]
    entries: Sequence[Entry]


_GUID = attrgetter("guid")


class Identities:
    """Drafts given their identities as they come, file by file; the rest once all are in."""

    # A draft whose key the ledger knows, with an id, is its note at once; with an empty ledger,
    # so is every draft (no vanished note to match). Others wait for every draft to be in:
    # which notes vanished is known only then. The result is the same whatever the order of
    # the work.

    def __init__(
        self, ledger: Ledger, clock: int, settled: Mapping[str, Entry] | None = None
    ) -> None:
        # Settled entries are notes of unchanged files, kept as they are: in the ledger too,
        # but no draft here may take their GUIDs or ids.
        self.ledger = ledger
        self.clock = clock
        self.settled = settled or {}
        # A retired note is known as well: a fact that comes back gets its GUID and id again.
        self.known = ledger.known()
        self.by_key = guids_by_key(ledger)
        self.taken = set(self.known) | set(self.settled)  # for new GUIDs made as drafts come
        self.claimed: list[str] = []  # GUIDs taken by key so far
        every = chain(self.known.values(), self.settled.values())
        self.next_id = new_ids(every, 1, clock)[0]
        self.slots: list[tuple[str, Note, Entry] | Draft | _Kept] = []
        self.waiting = 0  # drafts that wait for all to be in

    def add(self, drafts: Iterable[Draft]) -> list[Note] | None:
        """Take the next drafts in order, and identify those that can be already.

        Return their notes when they, and all drafts before them, have their notes now.
        """
        notes = self.known
        start = len(self.slots)
        for draft in drafts:
            guid = self.by_key.get(draft.digest)
            if guid is not None:
                previous = notes[guid]
                # A key whose note said something else waits: what it said may stand elsewhere.
                if previous.id and previous.text == draft.text:
                    self.claimed.append(guid)
                    self.slots.append(self._made(draft, guid, previous, 0))
                    continue
            elif not notes:
                guid = fresh_guid(draft.key, self.taken)
                self.taken.add(guid)
                self.slots.append(self._made(draft, guid, None, self._new_id()))
                continue
            self.slots.append(draft)
            self.waiting += 1
        if self.waiting:
            return None
        return [slot[1] for slot in self.slots[start:] if not isinstance(slot, Draft | _Kept)]

    def keep(self, notes: Sequence[Note], entries: Sequence[Entry]) -> list[Note] | None:
        """Take a file's notes as the last build left them; return them once all before are made."""
        self.slots.append(_Kept(notes, entries))
        return None if self.waiting else list(notes)

    def finish(self) -> tuple[tuple[Note, ...], dict[str, Entry], list[Note]]:
        """Identify the drafts that waited; return every note, its entry, and the drafts' notes."""
        waiting = [
            (index, slot) for index, slot in enumerate(self.slots) if isinstance(slot, Draft)
        ]
        drafts = [draft for _, draft in waiting]
        guids = assign_guids(drafts, self.ledger, self.settled, self.claimed)
        for (index, draft), guid in zip(waiting, guids, strict=True):
            previous = self.known.get(guid)
            fresh_id = self._new_id() if previous is None or not previous.id else 0
            self.slots[index] = self._made(draft, guid, previous, fresh_id)
        notes: list[Note] = []
        entries: dict[str, Entry] = {}
        fresh: list[Note] = []  # the notes made of drafts, not reused
        for slot in self.slots:
            if isinstance(slot, _Kept):
                notes.extend(slot.notes)
                entries.update(zip(map(_GUID, slot.notes), slot.entries, strict=True))
                continue
            assert not isinstance(slot, Draft)
            guid, note, entry = slot
            notes.append(note)
            entries[guid] = entry
            fresh.append(note)
        return tuple(notes), entries, fresh

    def _new_id(self) -> int:
        found, self.next_id = self.next_id, self.next_id + ID_STRIDE
        return found

    def _made(
        self, draft: Draft, guid: str, previous: Entry | None, fresh_id: int
    ) -> tuple[str, Note, Entry]:
        entry = _entry(draft, previous, fresh_id, self.clock)
        note = Note(
            guid,
            draft.kind,
            draft.deck,
            draft.fields,
            draft.tags,
            entry.changed,
            draft.loc,
            entry.id,
        )
        return guid, note, entry


def _entry(draft: Draft, previous: Entry | None, fresh_id: int, clock: int) -> Entry:
    """Return a note's ledger entry: the one it had when nothing about it changed, else anew."""
    if (
        previous is not None
        and not previous.retired
        and previous.hash == draft.content
        and previous.text
        and previous.id
        and not fresh_id
        and previous.key == draft.digest
        and previous.section == draft.section
        and previous.deck == draft.deck
        and file_of(previous.source) == draft.loc.path
    ):
        # Kept as it is, its line too: lines added or removed above a fact change nothing in
        # the ledger. As it is, an unchanged note's text is not held twice.
        return previous if previous.spelled == draft.key else replace(previous, spelled=draft.key)
    # The same content reads the same: only new and changed notes are read again.
    known = previous.text if previous is not None and previous.hash == draft.content else ""
    source = str(draft.loc)
    return Entry(
        key=draft.digest,
        hash=draft.content,
        changed=changed_time(previous, draft.content, clock),
        source=source,
        id=fresh_id or (previous.id if previous else 0),
        kind=draft.kind.value,
        section=draft.section,
        text=known or draft.text,
        deck=draft.deck,
        spelled=draft.key,
    )
