"""What every rule shares: its signature, the deck's vocabulary, and the shapes of facts."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import field
from itertools import chain

from notes2anki.cards.frequencies import language_of
from notes2anki.frozen import frozen
from notes2anki.model import Fact, SectionFacts
from notes2anki.reading.extract import walk
from notes2anki.records import CardSpec
from notes2anki.spans import keywords, starts_with_figure
from notes2anki.text import mask, normalize, unspaced, words

# A word this many facts of a file use names what the file is about, not what one fact says.
TOPIC_FACTS = 4
# Enough words to tell a language by, few enough to read in no time.
_LANGUAGE_SAMPLE = 3000
_WORD = re.compile(r"[^\W\d_]+")
# A line of notes this short holds one point: a list of such entries is recalled as a whole,
# and the weightiest phrase of one is its key. A longer line makes a cloze only when one
# phrase stands out: a guess at its point asks for a phrase nobody would recall.
MAX_TERSE_WORDS = 15
# A line longer than this reads as a paragraph: its key must outweigh every other phrase by far.
MAX_LINE_WORDS = 25
# "Snapshot of encrypted RDS DB = encrypted": a value this short is recalled, not explained.
MAX_VALUE_WORDS = 1


@frozen
class Vocabulary:
    """How many facts of a file use each key word (the rarer, the better a gap), and its topic."""

    counts: Mapping[str, int] = field(default_factory=dict)
    # The words, any words, that many facts of the file use: its topic, shown all over it.
    topic: frozenset[str] = frozenset()

    def count(self, word: str) -> int:
        """Return how many facts use the word, case folded."""
        return self.counts.get(word.casefold(), 0)


@frozen
class RuleContext:
    """What rules know beyond one section: the deck's vocabulary and which rules are on."""

    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    enabled: frozenset[str] = frozenset()
    language: str = ""  # the notes' language, when its word frequencies are known


Rule = Callable[[SectionFacts, RuleContext], Iterator[CardSpec]]


def vocabulary(facts: Iterable[Fact]) -> Vocabulary:
    """Count, for each key word, the facts that use it; and find the words of the file's topic."""
    every = tuple(walk(tuple(facts)))
    # Each fact's words once: counted in one go, not fact by fact.
    used = Counter(chain.from_iterable(set(normalize(fact.text).split()) for fact in every))
    topic = frozenset(word for word, facts_using in used.items() if facts_using >= TOPIC_FACTS)
    return Vocabulary(_KeyWordCounts(every), topic)


class _KeyWordCounts(Mapping[str, int]):
    """The facts using each key word, counted when a rule first asks: most files never do."""

    def __init__(self, facts: tuple[Fact, ...]) -> None:
        self._facts = facts
        self._counts: dict[str, int] | None = None

    def _counted(self) -> dict[str, int]:
        if self._counts is None:
            counts: Counter[str] = Counter()
            for fact in self._facts:
                counts.update({word.casefold() for word, _, _ in keywords(fact.text)})
            self._counts = dict(counts)
        return self._counts

    def __getitem__(self, word: str) -> int:
        return self._counted()[word]

    def __iter__(self) -> Iterator[str]:
        return iter(self._counted())

    def __len__(self) -> int:
        return len(self._counted())


def language(facts: Iterable[Fact]) -> str:
    """Name the language the facts are written in, from the first thousands of their words."""
    sample: list[str] = []
    ideographs = 0
    for fact in walk(tuple(facts)):
        # Code, links and their addresses are often English in notes of any language.
        text = mask(fact.text)
        sample += _WORD.findall(text.lower())
        ideographs += 0 if text.isascii() else unspaced(text)
        if len(sample) >= _LANGUAGE_SAMPLE:
            break
    # Chinese or Japanese notes with an English name here and there are not English: their
    # words (two characters each, about) outnumber the spaced ones.
    if ideographs and ideographs // 2 > sum(1 for word in sample if not unspaced(word)):
        return ""
    return language_of(sample)


def answer_is_value(fact: Fact) -> bool:
    """Tell whether a definition is a value to recall, as in "Default cooldown = 300 secs"."""
    if not fact.is_pair or fact.definition is None or fact.term is None:
        return False
    value = starts_with_figure(fact.definition) or (
        fact.separator in {"=", "==", "==="}
        and words(fact.definition.rstrip(".")) <= MAX_VALUE_WORDS
    )
    # "Snapshot of encrypted RDS DB = encrypted": the term shows the value.
    return value and f" {normalize(fact.definition)} " not in f" {normalize(fact.term)} "


def asks_for_list(fact: Fact) -> bool:
    """Tell whether a lead asks for the list under it: one short enough to recall at once."""
    if not fact.is_lead or fact.is_caption:
        return False
    entries = [child for child in fact.children if not child.is_pair]
    # Sentences under a lead ("... can be done in various ways:") are facts of their own: a
    # card asking for all of them at once asks for a page. Terms are listed by their names.
    return not entries or sum(words(child.text) for child in entries) <= MAX_TERSE_WORDS * len(
        entries
    )


def is_terse(fact: Fact) -> bool:
    """Tell whether a fact is a line of notes short enough to hold one point."""
    # A sentence of prose mostly explains, whatever its length.
    return not fact.prose and words(fact.text) <= MAX_TERSE_WORDS


def is_long(fact: Fact) -> bool:
    """Tell whether a fact reads as a paragraph: a sentence of prose, or a line of many words."""
    return fact.prose or words(fact.text) > MAX_LINE_WORDS


def subject_words(fact: Fact) -> set[str]:
    """Return the words of the section path and parent items, which a card shows anyway."""
    return set(normalize(" ".join((*fact.section.path, *fact.context))).split())
