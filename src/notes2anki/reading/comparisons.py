"""Find comparisons: "X vs Y" titles, sections led by rival subjects, and tables of subjects."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from itertools import combinations

from notes2anki.model import Comparison, Fact, Item, Loc, Section, WhichOne
from notes2anki.pairs import names_rivals
from notes2anki.reading.subjects import (
    MAX_SUBJECT_WORDS,
    MAX_SUBJECTS,
    CompareWords,
    masker,
    title_subjects,
)
from notes2anki.reading.tables import table_comparison
from notes2anki.text import normalize, words

# With "and"/"or" titles (and with none), subjects must lead at least this share of the items.
MIN_LED_SHARE = 0.5
# Without a title, rival subjects describe themselves in parallel: at least this share of subject
# pairs share a content word ("CLB - disabled by default", "NLB - disabled by default").
MIN_PARALLEL_SHARE = 0.5
# "For CLB - ..." is led by CLB; articles stay ("A record" is a name).
_LEADING_FILLER = re.compile(r"^(?:for|with)\s+", re.IGNORECASE)
_STOPWORD_TEXT = (
    "the a an and or of to in on at by for with from is are be can not no it its this that as "
    "into over per all any only also use used using when then than which who will may must "
    "has have had was were there their they you your"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_WORDS = re.compile(r"[^\W_]")
_NUMBERED = re.compile(r"\d[\d./-]*")


def find_comparisons(
    section: Section, facts: tuple[Fact, ...], compare_words: CompareWords
) -> tuple[tuple[Fact, ...], tuple[Comparison, ...]]:
    """Find the section's comparisons; return its facts marked with their subject, and them."""
    found: list[Comparison] = []
    marked = facts
    titled = title_subjects(section.title, compare_words)
    subjects = titled[0] if titled else _rival_subjects(facts, section.path)
    if subjects:
        tokens = {subject: _tokens(subject) for subject in subjects}
        marked = tuple(_mark(fact, tokens) for fact in facts)
        comparison = _list_comparison(section, marked, subjects, titled)
        if comparison is None:
            marked = facts
        else:
            found.append(comparison)
    siblings = _sibling_comparison(section, compare_words)
    if siblings is not None:
        found.append(siblings)
    for table in section.tables:
        compared = table_comparison(section, table, titled[0] if titled else ())
        if compared is not None:
            found.append(compared)
    return marked, tuple(found)


def _sibling_comparison(section: Section, compare_words: CompareWords) -> Comparison | None:
    """Compare a section's subsections when they are rivals: "Standard Queue", "FIFO Queue"."""
    children = [child for child in section.children if child.items or child.tables]
    rivals = _rivals(children, section.title, compare_words)
    # Beside the rivals may stand a subsection of sources or exercises, not a crowd of others.
    if len(rivals) < 2 or 2 * len(rivals) < len(section.children):
        return None
    subjects = tuple(child.title for child in rivals)
    # Each subsection's facts make their own cards, under their subject's name: the Compare
    # note sets them side by side, and no which-one card asks each of them again.
    rows = tuple((child.title, tuple(_item_text(item) for item in child.items)) for child in rivals)
    return Comparison(" vs ".join(subjects), subjects, section.loc, rows)


def _rivals(children: list[Section], parent: str, compare_words: CompareWords) -> list[Section]:
    """Find the subsections that are rivals: named by their parent, or one word apart."""
    named = title_subjects(parent, compare_words)
    if named is not None:
        wanted = {normalize(subject) for subject in named[0]}
        found = [child for child in children if normalize(child.title) in wanted]
        if len(found) == len(wanted):
            return found
    # "Weak consistency", "Eventual consistency", "Strong consistency": the same kind of thing,
    # told apart by one word in the same place (not a number: "Step 1", "Step 2" are steps).
    # "S3 Versioning", "S3 Encryption" under "S3" are aspects of their parent's subject, not
    # rivals: the word they share is the parent's, and their last words differ.
    topic = set(normalize(parent).split())
    groups: dict[tuple[int, int, tuple[str, ...]], list[Section]] = {}
    for child in children:
        tokens = normalize(child.title).split()
        if not 2 <= len(tokens) <= MAX_SUBJECT_WORDS or tokens[-1] in _STOPWORDS:
            continue  # "Each vertex consists of" leads a list; it names no rival
        for place, word in enumerate(tokens):
            rest = (*tokens[:place], *tokens[place + 1 :])
            aspect = place == len(tokens) - 1 and set(rest) <= topic
            if len(word) > 1 and not any(map(str.isdigit, word)) and not aspect:
                groups.setdefault((len(tokens), place, rest), []).append(child)
    best = max(groups.values(), key=len, default=[])
    return best if 2 <= len(best) <= MAX_SUBJECTS else []


def _item_text(item: Item) -> str:
    return item.text.removeprefix(f"{item.term}: ") if item.term else item.text


def _mark(fact: Fact, subjects: dict[str, tuple[str, ...]]) -> Fact:
    """Give a fact its subject when one subject leads it and no other is named in it."""
    if fact.explicit is not None or fact.question or fact.reference:
        return fact
    if fact.term is None and names_rivals(fact.text):
        return fact  # "**Hyperparameters vs. Parameters**" titles the rivals, of neither alone
    # Subjects match loosely: case, plurals and a leading "For" are ignored.
    lead = _tokens(_LEADING_FILLER.sub("", fact.term if fact.term is not None else fact.text))
    led_by = [name for name, wanted in subjects.items() if wanted and lead[: len(wanted)] == wanted]
    if len(led_by) != 1:
        return fact
    # Tokens hold no spaces: a run of tokens is in the text when its spaced words are.
    spaced = f" {' '.join(_tokens(fact.text))} "
    others = [
        name
        for name, wanted in subjects.items()
        if name != led_by[0] and wanted and f" {' '.join(wanted)} " in spaced
    ]
    return fact if others else replace(fact, subject=led_by[0])


def _list_comparison(
    section: Section,
    facts: tuple[Fact, ...],
    subjects: tuple[str, ...],
    titled: tuple[tuple[str, ...], str] | None,
) -> Comparison | None:
    led = [fact for fact in facts if fact.subject is not None]
    if not led:
        return None
    # "X vs Y" is a comparison whenever a subject leads a fact; "X and Y" (or no title) only
    # when both sides are described and they lead most of the section.
    if titled is None or titled[1] != "versus":
        described = {fact.subject for fact in led}
        if len(described) < 2 or len(led) < MIN_LED_SHARE * len(facts):
            return None
    mask = masker(subjects)
    told = [
        (fact.subject or "", text, loc, term)
        for fact in led
        for text, loc, term in _told(fact, mask)
    ]
    rows = tuple(
        (subject, tuple(text for said, text, _, _ in told if said == subject))
        for subject in subjects
    )
    # "Leverages CloudFormation" told of both subjects has no one answer: no which-one card.
    shown = [mask(text) for _, text, _, _ in told]
    # Compared once each, these are not cached: they would push out the names that are.
    said = [tuple(_stem(token) for token in normalize(text).split()) for text in shown]
    owners: dict[tuple[str, ...], set[str]] = {}
    for (subject, _, _, _), key in zip(told, said, strict=True):
        owners.setdefault(key, set()).add(subject)
    # Under "Classic ports:", "22: SSH …" is an entry named by its number, a glossary of its
    # own: the number tells it, not a trait of the subject.
    which = tuple(
        WhichOne(text, subject, loc)
        for (subject, _, loc, term), text, key in zip(told, shown, said, strict=True)
        if len(owners[key]) == 1 and not _NUMBERED.fullmatch(term)
    )
    title = section.title if titled else " vs ".join(subjects)
    return Comparison(title, subjects, section.loc, rows, None, which, tuple(f.loc for f in led))


def _rival_subjects(facts: tuple[Fact, ...], path: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Find subjects that lead most items and describe themselves in parallel, if any."""
    led: dict[str, list[str]] = {}  # each short term's definitions
    for fact in facts:
        # "Overfitting vs. Underfitting" sets two things side by side: it is no one subject.
        if (
            fact.is_pair
            and fact.term
            and fact.definition
            and words(fact.term) <= 3
            and not names_rivals(fact.term)
        ):
            led.setdefault(_LEADING_FILLER.sub("", fact.term), []).append(fact.definition)
    if not 2 <= len(led) <= MAX_SUBJECTS:
        return ()
    definitions = {
        name: {word for text in texts for word in _content_words(text)}
        for name, texts in led.items()
    }
    # What the notes are about ("Docker" in notes on Docker) describes nothing in parallel.
    names_words = {token for name in (*definitions, *path) for token in _tokens(name)}
    described = {name: found - names_words for name, found in definitions.items()}
    pairs = list(combinations(described, 2))
    parallel = [(a, b) for a, b in pairs if described[a] & described[b]]
    if len(parallel) < MIN_PARALLEL_SHARE * len(pairs):
        return ()
    # A subject that shares nothing with the others is a neighbour, not a rival.
    rivals = {name for pair in parallel for name in pair}
    return tuple(name for name in described if name in rivals)


def _shown(fact: Fact) -> str:
    return fact.definition if fact.is_pair and fact.definition else fact.text


def _told(fact: Fact, mask: Callable[[str], str]) -> tuple[tuple[str, Loc, str], ...]:
    """Return what a fact tells of its subject: each text, where it stands, and its term."""
    # "- Cold start" over a list of what happens in one: its name alone says nothing of it, the
    # items under it do. A lead that says more ("IMDSv2 is done in two steps:") is the fact.
    # An item under the name says what it is of it: "Max duration: up to one year", whole.
    if fact.is_lead and not _WORDS.search(mask(_shown(fact)).replace("[…]", "")):
        return tuple(
            (child.text, child.loc, normalize(child.term) if child.is_pair and child.term else "")
            for child in fact.children
            if child.text.strip()
        )
    return ((_shown(fact), fact.loc, ""),)


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_stem(token) for token in normalize(text).split())


@lru_cache(maxsize=8192)
def _stem(token: str) -> str:
    # "SGs" leads like "SG", "charges" shares with "charged": a crude stem is enough here.
    for ending in ("es", "ed", "s", "e"):
        if len(token) > len(ending) + 1 and token.endswith(ending):
            return token[: -len(ending)]
    return token


def _content_words(text: str) -> set[str]:
    return {
        _stem(token)
        for token in normalize(text).split()
        if len(token) > 2 and token not in _STOPWORDS
    }
