"""Find which earlier note an edited fact came from, so that editing keeps the note's GUID."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from difflib import SequenceMatcher

from notes2anki.cards.keys import Draft, asks
from notes2anki.identity.entries import Entry, guid_for
from notes2anki.identity.ledger import Ledger
from notes2anki.identity.similarity import SIMILAR_ENOUGH, similarity
from notes2anki.model import Loc
from notes2anki.text import is_field_label, normalize

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
    by_key = guids_by_key(ledger)
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
            guid = fresh_guid(draft.key, taken)
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


def guids_by_key(ledger: Ledger) -> dict[str, str]:
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
                if guid in gone and file_of(gone[guid].source) == path
            ]
        if not olds:
            continue
        old_texts = {guid: normalize(known[guid].text) for guid in olds}
        new_texts = {index: normalize(drafts[index].text) for index in news}
        pairs: Iterable[tuple[int, str]] = (
            [(index, guid) for index in news for guid in olds]
            if len(olds) * len(news) <= ALL_PAIRS
            else _likely_pairs(drafts, known, (news, new_texts), (olds, old_texts))
        )
        for index, guid, _ in _best_first(pairs, new_texts, old_texts, SIMILAR_ENOUGH):
            if guids[index] is None and guid in gone:
                guids[index] = guid
                del gone[guid]


def _best_first(
    pairs: Iterable[tuple[int, str]],
    new_texts: Mapping[int, str],
    old_texts: Mapping[str, str],
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


def file_of(source: str) -> str:
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
        old_texts = {guid: normalize(known[guid].text) for _, guid in pairs}
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
    known: Mapping[str, Entry],
    fresh: tuple[list[int], Mapping[int, str]],
    gone: tuple[list[str], Mapping[str, str]],
) -> set[tuple[int, str]]:
    """Pair each edited fact with the vanished notes likely to be its own: near it, or alike."""
    # Fresh: the edited facts' drafts, by index, and their texts; gone: the vanished notes'.
    (news, new_texts), (olds, old_texts) = fresh, gone
    # An edited fact mostly stays where it was among the section's others, and keeps some of
    # its words; a word few vanished notes have points at them wherever they stood.
    placed = sorted(olds, key=lambda guid: Loc.read(known[guid].source))
    ordered = sorted(news, key=lambda index: drafts[index].loc)
    having: dict[str, list[str]] = defaultdict(list)
    for guid in olds:
        for word in set(old_texts[guid].split()):
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


def fresh_guid(key: str, taken: set[str]) -> str:
    """Return a key's GUID, or, when another note has it, the key's next GUID no note has."""
    guid = guid_for(key)
    attempt = 1
    while guid in taken:
        guid = guid_for(f"{key}\x00{attempt}")
        attempt += 1
    return guid
