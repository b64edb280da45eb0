"""Find which earlier note an edited fact came from, so that editing keeps the note's GUID."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from difflib import SequenceMatcher
from itertools import chain

from notes2anki.cards.keys import Draft, asks
from notes2anki.identity.entries import ID_STRIDE, Entry, changed_time, guid_for, new_ids
from notes2anki.identity.ledger import Ledger
from notes2anki.model import Loc, Note
from notes2anki.text import is_field_label, normalize

# A fixed typo scores above 0.9, a reworded answer about 0.7; two different facts of one section
# ("CNAME - hostname to hostname", "Alias - hostname to AWS resource") score below 0.6.
SIMILAR_ENOUGH = 0.65
# Up to this many pairs in one section, every edited fact is compared with every vanished note;
# beyond, only with those that stood near it or share a rare word with it (about as many per
# fact whatever the section's size).
ALL_PAIRS = 10_000
NEAR = 8  # vanished notes on either side of where an edited fact stands
RARE = 8  # a word is rare when at most this many vanished notes have it
# A section whose path is this alike to one that lost its notes is it, renamed.
RENAMED = 0.75
# The number a heading opens with, folded: "1. Creation", "2.3 Creation", "12) Creation".
_NUMBERING = re.compile(r"^\d+(?: \d+)* (?=\S)")
# A fact found outside its section (moved in a rewrite, and edited) must be this alike.
ALIKE_ANYWHERE = 0.85
# ... and, unless it asks the same as the note did, its text this alike.
NEARLY_SAME = 0.95


def identify(
    drafts: Sequence[Draft],
    ledger: Ledger,
    clock: int,
    settled: Mapping[str, Entry] | None = None,
) -> tuple[tuple[Note, ...], dict[str, Entry]]:
    """Give each draft its GUID, note id and mod time; return the notes and their ledger entries."""
    identities = Identities(ledger, clock, settled)
    identities.add(drafts)
    return identities.finish()


class Identities:
    """Drafts given their identities as they come, file by file; the rest once all are in."""

    # A draft whose key the ledger knows, with an id, is its note at once; with an empty ledger,
    # so is every draft (no vanished note to match). Others wait for every draft to be in:
    # which notes vanished is known only then. The result is identify's, whatever the order
    # of the work.

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
        self.by_key = _by_key(ledger)
        self.taken = set(self.known) | set(self.settled)  # for new GUIDs made as drafts come
        self.claimed: list[str] = []  # GUIDs taken by key so far
        every = chain(self.known.values(), self.settled.values())
        self.next_id = new_ids(every, 1, clock)[0]
        self.slots: list[tuple[str, Note, Entry] | Draft] = []
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
                guid = _fresh_guid(draft.key, self.taken)
                self.taken.add(guid)
                self.slots.append(self._made(draft, guid, None, self._new_id()))
                continue
            self.slots.append(draft)
            self.waiting += 1
        if self.waiting:
            return None
        return [slot[1] for slot in self.slots[start:] if not isinstance(slot, Draft)]

    def keep(self, notes: Sequence[Note], entries: Sequence[Entry]) -> list[Note] | None:
        """Take a file's notes as the last build left them; return them once all before are made."""
        self.slots.extend(zip((note.guid for note in notes), notes, entries, strict=True))
        return None if self.waiting else list(notes)

    def finish(self) -> tuple[tuple[Note, ...], dict[str, Entry]]:
        """Identify the drafts that waited; return every note and its entry, in draft order."""
        waiting = [
            (index, slot) for index, slot in enumerate(self.slots) if isinstance(slot, Draft)
        ]
        drafts = [draft for _, draft in waiting]
        guids = assign_guids(drafts, self.ledger, self.settled, self.claimed)
        for (index, draft), guid in zip(waiting, guids, strict=True):
            previous = self.known.get(guid)
            fresh = self._new_id() if previous is None or not previous.id else 0
            self.slots[index] = self._made(draft, guid, previous, fresh)
        made = [slot for slot in self.slots if not isinstance(slot, Draft)]
        return tuple(note for _, note, _ in made), {guid: entry for guid, _, entry in made}

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
        and _file_of(previous.source) == draft.loc.path
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


def assign_guids(
    drafts: Sequence[Draft],
    ledger: Ledger,
    settled: Mapping[str, Entry] | None = None,
    claimed: Iterable[str] = (),
) -> list[str]:
    """Return each draft's GUID: its key's from the ledger, an edited fact's, or a new one."""
    # Claimed: GUIDs that other drafts of this build took by their keys. The notes that left
    # the deck in earlier builds are matched too: a fact that comes back is theirs again.
    known = ledger.known()
    by_key = _by_key(ledger)
    guids: list[str | None] = [by_key.get(draft.digest) for draft in drafts]
    _follow_texts(drafts, guids, known)
    used = {guid for guid in guids if guid is not None} | set(claimed)
    gone = {guid: entry for guid, entry in known.items() if guid not in used}
    if gone:
        moved_sections = _match_moved(drafts, guids, known, gone)
        _match_similar(drafts, guids, known, gone, moved_sections)
        _match_anywhere(drafts, guids, known, gone)
    final: list[str] = []
    taken = set(guid for guid in guids if guid is not None) | set(known) | set(settled or ())
    for draft, guid in zip(drafts, guids, strict=True):
        if guid is None:
            guid = _fresh_guid(draft.key, taken)
            taken.add(guid)
        final.append(guid)
    return final


def _follow_texts(
    drafts: Sequence[Draft], guids: list[str | None], known: Mapping[str, Entry]
) -> None:
    """Give a note to the fact that says what it said, not to another that took its key."""
    # Two files make one key ("Contents" under "# Intro" in both); one keeps the note, the other
    # is left out as a copy. When the first renames its heading, the key is the other's alone:
    # the note, reviewed for the first one's answer, must not take the other's. A new note for
    # the key's fact; the note goes with the fact that still says exactly what it said.
    unmatched = _unmatched_by(drafts, guids, lambda draft: draft.text)
    for index, guid in enumerate(guids):
        if guid is None:
            continue
        old = known[guid]
        if drafts[index].text == old.text:
            continue
        same = unmatched.get((old.kind, old.text), [])
        if len(same) == 1:
            guids[same.pop()] = guid
            guids[index] = None


def _by_key(ledger: Ledger) -> dict[str, str]:
    """Map each key the ledger knows to its note's GUID; a note in the deck before a retired one."""
    by_key = {entry.key: guid for guid, entry in ledger.retired.items()}
    by_key.update((entry.key, guid) for guid, entry in ledger.notes.items())
    return by_key


def _match_moved(
    drafts: Sequence[Draft],
    guids: list[str | None],
    known: Mapping[str, Entry],
    gone: dict[str, Entry],
) -> dict[str, set[str]]:
    """Give a fact whose content is unchanged but whose place moved the note it had."""
    # Only unambiguous pairs count: one vanished note and one new fact with that content.
    # Returns, for each new section, the old sections whose facts moved into it.
    new_by_text = _unmatched_by(drafts, guids, lambda draft: draft.text)
    moved: dict[str, set[str]] = defaultdict(set)
    for said, olds in _vanished_by(gone, lambda entry: entry.text).items():
        news = new_by_text.get(said, [])
        if said[1] and len(olds) == 1 and len(news) == 1:
            guids[news[0]] = olds[0]
            del gone[olds[0]]
            moved[drafts[news[0]].section].add(known[olds[0]].section)
    return moved


def _match_similar(
    drafts: Sequence[Draft],
    guids: list[str | None],
    known: Mapping[str, Entry],
    gone: dict[str, Entry],
    moved_sections: dict[str, set[str]],
) -> None:
    """Pair edited facts with vanished notes of their section (or the section it moved from)."""
    old_by_section = _vanished_by(gone, lambda entry: entry.section)
    new_by_section = _unmatched_by(drafts, guids, lambda draft: draft.section)
    # "1. Creation" renumbered "2. Creation" is the same section, though its facts all changed.
    renumbered: dict[str, set[str]] = defaultdict(set)
    for _, old in old_by_section:
        renumbered[_unnumbered(old)].add(old)
    for (kind, section), news in new_by_section.items():
        sources = {section} | moved_sections.get(section, set())
        sources |= renumbered.get(_unnumbered(section), set())
        olds = [guid for old in sources for guid in old_by_section.get((kind, old), [])]
        olds = [guid for guid in olds if guid in gone]
        if not olds:
            # A heading edited while every fact under it was too (an accent fixed in all): a
            # section of the same file whose name is nearly this one's, that lost its notes.
            path = drafts[news[0]].loc.path
            olds = [
                guid
                for (old_kind, old), guids_there in old_by_section.items()
                if old_kind == kind and _renamed(section, old)
                for guid in guids_there
                if guid in gone and _file_of(gone[guid].source) == path
            ]
        if not olds:
            continue
        old_texts = {guid: Text(normalize(known[guid].text)) for guid in olds}
        new_texts = {index: normalize(drafts[index].text) for index in news}
        pairs: Iterable[tuple[int, str]] = (
            [(index, guid) for index in news for guid in olds]
            if len(olds) * len(news) <= ALL_PAIRS
            else _likely_pairs(drafts, news, known, olds, new_texts, old_texts)
        )
        for index, guid, _ in _best_first(pairs, new_texts, old_texts, SIMILAR_ENOUGH):
            if guids[index] is None and guid in gone:
                guids[index] = guid
                del gone[guid]


def _best_first(
    pairs: Iterable[tuple[int, str]],
    new_texts: Mapping[int, str],
    old_texts: Mapping[str, Text],
    bar: float,
) -> Iterator[tuple[int, str, float]]:
    """Yield the pairs of a fact and a note that score the bar or more, the most alike first."""
    # Of pairs that score the same, the earlier fact comes first.
    scored = sorted(
        ((similarity(new_texts[index], old_texts[guid]), -index, guid) for index, guid in pairs),
        reverse=True,
    )
    for score, negative_index, guid in scored:
        if score < bar:
            return
        yield -negative_index, guid, score


def _file_of(source: str) -> str:
    """Return the file of a note's place: "notes.md:12" is in "notes.md", a retired one's too."""
    path, _, line = source.rpartition(":")
    return path if line.isdigit() else source


def _renamed(section: str, old: str) -> bool:
    """Tell whether a section's path reads nearly as another's: one heading's words edited."""
    matcher = SequenceMatcher(None, section, old, autojunk=False)
    return (
        matcher.real_quick_ratio() >= RENAMED
        and matcher.quick_ratio() >= RENAMED
        and matcher.ratio() >= RENAMED
    )


def _unnumbered(section: str) -> str:
    """Return a section's folded path without the numbers its headings open with."""
    if not any(character.isdigit() for character in section):
        return section
    return " / ".join(_NUMBERING.sub("", part) for part in section.split(" / "))


def _match_anywhere(
    drafts: Sequence[Draft],
    guids: list[str | None],
    known: Mapping[str, Entry],
    gone: dict[str, Entry],
) -> None:
    """Pair facts that came back elsewhere, nearly as they were, with the notes they had."""
    # A rewrite moves facts under new headings and into new files, and edits some on the way;
    # away from its section a fact must be far more alike to count as the same one.
    olds_by_kind = _vanished_by(gone, lambda entry: "")
    for (kind, _), news in _unmatched_by(drafts, guids, lambda draft: "").items():
        olds = olds_by_kind.get((kind, ""), [])
        if not olds:
            continue
        new_texts = {index: normalize(drafts[index].text) for index in news}
        # Only the notes sharing a rare word with a fact are compared with it: a word is looked
        # for among the vanished notes' words, and their texts are read for comparing then.
        wanted = {word for text in new_texts.values() for word in text.split()}
        having: dict[str, list[str]] = defaultdict(list)
        for guid in olds:
            for word in set(normalize(known[guid].text).split()) & wanted:
                having[word].append(guid)
        pairs = {
            (index, guid)
            for index in news
            for word in set(new_texts[index].split())
            if len(having.get(word, ())) <= RARE
            for guid in having.get(word, ())
        }
        old_texts = {guid: Text(normalize(known[guid].text)) for _, guid in pairs}
        for index, guid, score in _best_first(pairs, new_texts, old_texts, ALIKE_ANYWHERE):
            # Two sections may each hold a fact alike ("Use cases - backups, web hosting"): away
            # from its own, a note goes only to the same question (a term, not a field's label
            # that every section has), or to its text nearly as it was.
            draft = drafts[index]
            same = asks(draft.digest) == asks(known[guid].key)
            same = same and not is_field_label(_prompt(draft.key))
            if guids[index] is None and guid in gone and (same or score >= NEARLY_SAME):
                guids[index] = guid
                del gone[guid]


def _prompt(key: str) -> str:
    """Return what a note's key says it asks: its last part (the term, the shown text)."""
    return key.rpartition(" / ")[2]


def _likely_pairs(
    drafts: Sequence[Draft],
    news: list[int],
    known: Mapping[str, Entry],
    olds: list[str],
    new_texts: Mapping[int, str],
    old_texts: Mapping[str, Text],
) -> set[tuple[int, str]]:
    """Pair each edited fact with the vanished notes likely to be its own: near it, or alike."""
    # An edited fact mostly stays where it was among the section's others, and keeps some of
    # its words; a word few vanished notes have points at them wherever they stood.
    placed = sorted(olds, key=lambda guid: Loc.read(known[guid].source))
    ordered = sorted(news, key=lambda index: drafts[index].loc)
    having: dict[str, list[str]] = defaultdict(list)
    for guid in olds:
        for word in set(old_texts[guid].text.split()):
            having[word].append(guid)
    pairs: set[tuple[int, str]] = set()
    for rank, index in enumerate(ordered):
        middle = rank * len(placed) // len(ordered)
        pairs.update((index, guid) for guid in placed[max(0, middle - NEAR) : middle + NEAR + 1])
        for word in set(new_texts[index].split()):
            found = having.get(word, ())
            if len(found) <= RARE:
                pairs.update((index, guid) for guid in found)
    return pairs


def _vanished_by(
    gone: dict[str, Entry], field: Callable[[Entry], str]
) -> dict[tuple[str, str], list[str]]:
    """Group the vanished notes' GUIDs by kind and one of their ledger fields."""
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for guid, entry in gone.items():
        grouped[(entry.kind, field(entry))].append(guid)
    return grouped


def _unmatched_by(
    drafts: Sequence[Draft], guids: list[str | None], field: Callable[[Draft], str]
) -> dict[tuple[str, str], list[int]]:
    """Group the drafts still without a GUID by kind and one of their properties."""
    grouped: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, draft in enumerate(drafts):
        if guids[index] is None:
            grouped[(draft.kind.value, field(draft))].append(index)
    return grouped


class Text:
    """A text that edited texts are compared with, and where each of its characters stands."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Bit i of a character's mask says that the text's character i is that character.
        self.masks: dict[str, int] = {}
        for position, character in enumerate(text):
            self.masks[character] = self.masks.get(character, 0) | 1 << position


def similarity(first: str, second: Text) -> float:
    """Score how alike two texts are, from 0 to 1, as difflib's ratio does; 0 below the bar."""
    total = len(first) + len(second.text)
    if not first or not second.text:
        return 0.0
    # Two cheaper scores that the ratio never exceeds come first: by the texts' lengths, and by
    # their longest common subsequence (the ratio's matching blocks are one). Texts that share
    # only their words' letters, most pairs in a large section, stop there. Each is reckoned as
    # difflib reckons its ratio, so that none differs from it at the bar.
    shorter = min(len(first), len(second.text))
    if 2.0 * shorter / total < SIMILAR_ENOUGH:
        return 0.0
    if 2.0 * _common_length(first, second) / total < SIMILAR_ENOUGH:
        return 0.0
    # Texts are capped (identity.TEXT_CHARS), so comparing every character stays cheap.
    ratio = SequenceMatcher(None, first, second.text, autojunk=False).ratio()
    return ratio if ratio >= SIMILAR_ENOUGH else 0.0


def _common_length(first: str, second: Text) -> int:
    """Return the length of the longest common subsequence of two texts."""
    # Bit-parallel (Allison and Dix; Hyyrö): one step per character of the first text, each a
    # few operations on an integer with a bit per character of the second.
    every = (1 << len(second.text)) - 1
    row = every
    masks = second.masks
    for character in first:
        matched = row & masks.get(character, 0)
        row = ((row + matched) | (row - matched)) & every
    return len(second.text) - row.bit_count()


def _fresh_guid(key: str, taken: set[str]) -> str:
    guid = guid_for(key)
    attempt = 1
    while guid in taken:
        guid = guid_for(f"{key}\x00{attempt}")
        attempt += 1
    return guid
