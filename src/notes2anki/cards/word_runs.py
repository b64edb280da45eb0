"""Split a text into runs of words a phrase may be made of, each word weighed where it stands."""

from __future__ import annotations

from typing import NamedTuple

from notes2anki.cards.phrase_words import (
    COMMON_RARITY,
    COMMON_ZIPF,
    EDGE_RARITY,
    EXTRA_SHARE,
    ITALIC,
    ITALIC_BONUS,
    JOINS,
    LAST_RARITY,
    MANNER_FORMS,
    NEGATED_RARITY,
    NEGATIONS,
    RAREST,
    TOKEN,
    TOPIC_WEIGHT,
    WORD_EFFORT,
)
from notes2anki.cards.word_places import Places
from notes2anki.cards.word_weights import follows_verb, qualifies, weigher
from notes2anki.text import mask

_new_word = tuple.__new__


class Word(NamedTuple):
    """A word of a sentence, weighed: a tuple, as a key phrase makes thousands of them."""

    text: str
    start: int
    end: int
    rarity: float
    lead: bool
    bridge: bool
    sentence: int
    first: bool  # the first word of its sentence that is not a common one
    marked: bool  # set in italics by the author
    key: str  # the word as compared: case and marks folded
    place: float  # what where it stands weighs: a later sentence, a condition, a purpose


class Run(NamedTuple):
    """Words that punctuation and common words do not break, and what each weighs in a phrase."""

    words: list[Word]
    ranked: list[float]  # as a key among the file's topic words
    bare: list[float]  # alone, whatever the file is about
    content: list[bool]  # not a small word ("of", "not", "one")
    weighed: list[float]  # a content word's weight, else none
    gains: list[float]  # what it may add to a phrase past its weightiest word
    names: list[bool]  # a name goes on into the next word
    closes: list[bool]  # a phrase may end on it


def word_runs(
    text: str, language: str, shown: frozenset[str], topic: frozenset[str]
) -> tuple[list[Run], dict[int, int], list[str]]:
    """Weigh a text's words in runs; count each sentence's words, list each one's folded form."""
    masked = mask(text)
    words, lengths, every_key = _placed_words(masked, language)
    runs = _RunMaker(text, masked, language, (shown, topic)).runs(words)
    # Whether a word comes again is asked of a few words only: they are counted then.
    return runs, lengths, every_key


def _placed_words(
    masked: str, language: str
) -> tuple[list[tuple[Word, bool]], dict[int, int], list[str]]:
    """Return the words a phrase may hold (and whether each says how), sentence lengths, keys."""
    # A common word only ends a run of rarer ones, and the text between two kept words shows
    # where one stood: keeping it would cost a word object for nothing.
    italic = (
        [match.span() for match in ITALIC.finditer(masked)]
        if "*" in masked or "_" in masked
        else []
    )
    weigh = weigher(language)
    places = Places(masked)
    words: list[tuple[Word, bool]] = []
    previous: Word | None = None  # the word kept before this one
    opened = False  # a word of the sentence other than a common one came
    for match in TOKEN.finditer(masked):
        start, end = match.span()
        if places.sentence_at(start):
            opened = False
        token = match.group()
        rarity, lead, bridge, key, named, purposive, adverb = weigh(token)
        if opened:
            rarity += named
        place = places.place(token, key, (start, end), purposive)
        common = rarity <= COMMON_RARITY
        if (
            common
            and not bridge
            and previous is not None
            and previous.key in NEGATIONS
            and not masked[previous.end : start].strip()
        ):
            # What a negation denies belongs to it, common as it is: "no need", "cannot be".
            rarity = NEGATED_RARITY
            common = False
        elif common and not (bridge or lead):
            continue  # the text between the words around it breaks their run
        marked = any(begin <= start < stop for begin, stop in italic) if italic else False
        first = not opened and not common
        opened = opened or not common
        # Made as a plain tuple is (a named tuple's constructor is a call in Python).
        previous = _new_word(
            Word,
            (
                token,
                start,
                end,
                max(rarity, 0.0),
                lead,
                bridge,
                places.sentence,
                first,
                marked,
                key,
                place,
            ),
        )
        words.append((previous, adverb))
    return words, places.lengths(), places.keys


class _RunMaker:
    """Words put into runs as they come, each with what it weighs in a phrase."""

    def __init__(
        self,
        text: str,
        masked: str,
        language: str,
        known: tuple[frozenset[str], frozenset[str]],
    ) -> None:
        # Known: the words the card shows, and the words the whole file is about.
        self.text, self.masked, self.language = text, masked, language
        self.shown, self.topic = known
        self.done: list[Run] = []
        self.run = Run([], [], [], [], [], [], [], [])

    def runs(self, words: list[tuple[Word, bool]]) -> list[Run]:
        """Put the words into runs: a phrase is one run's."""
        for word, adverb in words:
            self._add(word, adverb)
        self._close()
        return self.done

    def _close(self) -> None:
        """End the run going on; the next word opens another."""
        if self.run.words:
            self.done.append(self.run)
        self.run = Run([], [], [], [], [], [], [], [])

    def _add(self, word: Word, adverb: bool) -> None:
        """Add a word to the run going on, or end that run (and open another with it)."""
        run, rarity, key = self.run, word.rarity, word.key
        words, start = run.words, word.start
        # Runs of words that punctuation and common words do not break.
        joined = (
            bool(words)
            and words[-1].sentence == word.sentence
            and not self.text[words[-1].end : start].strip()
            # A clause of purpose opens within a run of words: "configure your routing | to
            # ensure".
            and words[-1].place == word.place
        )
        if word.lead and not (joined and words[-1].key in JOINS):
            # A count or a polarity opens a phrase: "use multiple AZs", "is not created"; after
            # "and" it goes on one: "multiple AZs and multiple regions".
            goes_on = False
        elif RAREST - rarity < COMMON_ZIPF or (word.bridge and joined and _takes_bridge(words)):
            goes_on = joined
        else:
            self._close()
            return
        if goes_on and adverb and self._breaks_at(word):
            self._close()
            return
        if goes_on:
            self._name_on(word)
        else:
            self._close()
        self._append(word, key)

    def _breaks_at(self, word: Word) -> bool:
        """Tell whether an adverb after the run's last word tells how its verb goes."""
        # An adverb after a noun tells how its clause's verb goes ("attached to the {EC2 hosts}
        # directly", "SAM {framework} natively uses"): it belongs to no phrase, and none runs
        # across it. After a participle, a negation or a verb it belongs with them ("{not
        # replicated automatically}", "will {distribute evenly}"), before a participle too
        # ("{K equally sized subsets}").
        last, language, masked = self.run.words[-1], self.language, self.masked
        return (
            not last.bridge
            and last.key not in NEGATIONS
            and not MANNER_FORMS[language].search(last.key)
            and not qualifies(masked, word.end, language)
            and not follows_verb(masked, last.start, language)
        )

    def _name_on(self, word: Word) -> None:
        """Let a name go on into this word: a gap may neither end nor start between them."""
        # "Auto Scaling", "multi AZ": where it is capitalised, after a capitalised word or one
        # that only qualifies it.
        run = self.run
        before = run.words[-1]
        if (
            run.content[-1]
            and not (word.lead or word.bridge)
            and word.text[:1].isupper()
            and (before.text[:1].isupper() or EDGE_RARITY <= before.rarity < word.rarity)
        ):
            run.names[-1] = True
            run.closes[-1] = False

    def _append(self, word: Word, key: str) -> None:
        """Add a word and what it weighs to the run."""
        # Its weight as a key among the file's topic words (what a gap's words add up to counts
        # its content words only); a phrase closes on a word that may be a plainer head noun
        # ("POSIX file system"), never on a small word.
        small = word.lead or word.bridge
        if key in self.shown or (" " in key and self.shown.issuperset(key.split())):
            # "Intelligent-Tiering" under the heading "S3 Intelligent-Tiering".
            alone = weight = 0.0
        else:
            # "subnet" is rare in English, but in notes on networks it is in every other line.
            alone = weight = word.rarity
            if key in self.topic:
                weight = weight * TOPIC_WEIGHT
            if word.marked:
                alone += ITALIC_BONUS
                weight += ITALIC_BONUS
        gain = 0.0 if small else EXTRA_SHARE * weight - WORD_EFFORT
        run = self.run
        run.words.append(word)
        run.ranked.append(weight)
        run.bare.append(alone)
        run.content.append(not small)
        run.weighed.append(0.0 if small else weight)
        run.gains.append(gain if gain > 0.0 else 0.0)
        run.names.append(False)
        run.closes.append(not small and word.rarity >= LAST_RARITY)


def _takes_bridge(run: list[Word]) -> bool:
    # Two small words may stand between rare ones: "one NACL at a time".
    return bool(run) and not (len(run) > 1 and run[-1].bridge and run[-2].bridge)
