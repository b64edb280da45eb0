"""Split a text into runs of words a phrase may be made of, each word weighed where it stands."""

from __future__ import annotations

from typing import NamedTuple

from notes2anki.cards.phrase_words import (
    COMMON_RARITY,
    COMMON_ZIPF,
    CONDITION,
    EDGE_RARITY,
    EXTRA_SHARE,
    ITALIC,
    ITALIC_BONUS,
    JOINS,
    LAST_RARITY,
    MANNER_FORMS,
    NEGATED_RARITY,
    NEGATIONS,
    PURPOSE_WEIGHT,
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
    runs = _into_runs(text, masked, language, (shown, topic), words)
    # Whether a word comes again is asked of a few words only: they are counted then.
    return runs, lengths, every_key


def _placed_words(
    masked: str, language: str
) -> tuple[list[tuple[Word, bool]], dict[int, int], list[str]]:
    """Return the words a phrase may hold (and whether each says how), sentence lengths, keys."""
    # A common word only ends a run of rarer ones, and the text between two kept words shows
    # where one stood: keeping it would cost a word object for nothing.
    italic = _italic(masked)
    weigh = weigher(language)
    places = Places(masked)
    words: list[tuple[Word, bool]] = []
    previous: Word | None = None  # the word kept before this one
    opened = False  # a word of the sentence other than a common one came
    for match in TOKEN.finditer(masked):
        start, end = match.span()
        if start >= places.next_end and places.sentence_at(start):
            opened = False
        token = match.group()
        rarity, lead, bridge, key, named, purposive, adverb = weigh(token)
        if opened:
            rarity += named
        places.keys.append(key)
        if places.fresh or places.opening or purposive:
            places.scene(token, key, (start, end), purposive)
        # What where it stands weighs: a later sentence, a condition, a purpose.
        place = places.later
        if start < places.condition_end:
            place *= CONDITION
        elif start < places.purpose_end:
            place *= PURPOSE_WEIGHT
        common = rarity <= COMMON_RARITY
        if common and not bridge and _denied(previous, masked, start):
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
                rarity if rarity > 0.0 else 0.0,
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


def _italic(masked: str) -> list[tuple[int, int]]:
    """Return where the author set words in italics."""
    if "*" not in masked and "_" not in masked:
        return []
    return [match.span() for match in ITALIC.finditer(masked)]


def _denied(previous: Word | None, masked: str, start: int) -> bool:
    """Tell whether a word follows a negation right after it: what the negation denies."""
    return (
        previous is not None
        and previous.key in NEGATIONS
        and not masked[previous.end : start].strip()
    )


def _into_runs(
    text: str,
    masked: str,
    language: str,
    known: tuple[frozenset[str], frozenset[str]],
    words: list[tuple[Word, bool]],
) -> list[Run]:
    """Put the words into runs, each with what it weighs in a phrase: a phrase is one run's."""
    # Known: the words the card shows, and the words the whole file is about.
    shown, topic = known
    runs: list[Run] = []
    run = Run([], [], [], [], [], [], [], [])
    words_of, ranked, bare, content, weighed, gains, names, closes = run
    for (word, _), step in zip(words, _steps(text, masked, language, words), strict=True):
        if step is not _ON:
            if words_of:
                runs.append(run)
            run = Run([], [], [], [], [], [], [], [])
            words_of, ranked, bare, content, weighed, gains, names, closes = run
            if step is _BREAK:
                continue
        elif word.text[:1].isupper() and _names_on(run, word):
            names[-1] = True
            closes[-1] = False
        # Its weight as a key among the file's topic words (what a gap's words add up to counts
        # its content words only); a phrase closes on a word that may be a plainer head noun
        # ("POSIX file system"), never on a small word.
        key, rarity, small = word.key, word.rarity, word.lead or word.bridge
        if key in shown or (" " in key and shown.issuperset(key.split())):
            # "Intelligent-Tiering" under the heading "S3 Intelligent-Tiering".
            alone = weight = 0.0
        else:
            # "subnet" is rare in English, but in notes on networks it is in every other line.
            alone = weight = rarity
            if key in topic:
                weight = weight * TOPIC_WEIGHT
            if word.marked:
                alone += ITALIC_BONUS
                weight += ITALIC_BONUS
        gain = 0.0 if small else EXTRA_SHARE * weight - WORD_EFFORT
        words_of.append(word)
        ranked.append(weight)
        bare.append(alone)
        content.append(not small)
        weighed.append(0.0 if small else weight)
        gains.append(gain if gain > 0.0 else 0.0)
        names.append(False)
        closes.append(not small and rarity >= LAST_RARITY)
    if words_of:
        runs.append(run)
    return runs


# What a word does to the run going on: goes on with it, opens a new one, or breaks it.
_ON, _NEW, _BREAK = "on", "new", "break"
# The last word of no run: it stands in no sentence, so no word joins it.
_NO_WORD = Word("", -1, -1, 0.0, False, False, -1, False, False, "", 0.0)


def _steps(text: str, masked: str, language: str, words: list[tuple[Word, bool]]) -> list[str]:
    """Tell of each word whether it goes on with the run before it, opens another, or ends it."""
    steps: list[str] = []
    last = _NO_WORD  # the run's last word
    bridged = False  # the run's last two words are both small ones
    for word, adverb in words:
        # Runs of words that punctuation and common words do not break; a clause of purpose
        # opens within a run of words: "configure your routing | to ensure".
        joined = (
            last.sentence == word.sentence
            and not text[last.end : word.start].strip()
            and last.place == word.place
        )
        if word.lead and not (joined and last.key in JOINS):
            # A count or a polarity opens a phrase: "use multiple AZs", "is not created";
            # after "and" it goes on one: "multiple AZs and multiple regions".
            step = _NEW
        elif not (RAREST - word.rarity < COMMON_ZIPF or (word.bridge and joined and not bridged)):
            # Two small words may stand between rare ones: "one NACL at a time".
            step = _BREAK
        elif not joined:
            step = _NEW
        elif adverb and _tells_how(masked, language, last, word):
            step = _BREAK
        else:
            step = _ON
        steps.append(step)
        bridged = step is _ON and word.bridge and last.bridge
        last = _NO_WORD if step is _BREAK else word
    return steps


def _tells_how(masked: str, language: str, last: Word, adverb: Word) -> bool:
    """Tell whether an adverb after a word tells how its clause's verb goes: no phrase's."""
    # An adverb after a noun tells how its clause's verb goes ("attached to the {EC2 hosts}
    # directly", "SAM {framework} natively uses"): it belongs to no phrase, and none runs across
    # it. After a participle, a negation or a verb it belongs with them ("{not replicated
    # automatically}", "will {distribute evenly}"), before a participle too ("{K equally sized
    # subsets}").
    return (
        not last.bridge
        and last.key not in NEGATIONS
        and not MANNER_FORMS[language].search(last.key)
        and not qualifies(masked, adverb.end, language)
        and not follows_verb(masked, last.start, language)
    )


def _names_on(run: Run, word: Word) -> bool:
    """Tell whether a name goes on into this word: a gap may neither end nor start between."""
    # "Auto Scaling", "multi AZ": where it is capitalised, after a capitalised word or one
    # that only qualifies it.
    before = run.words[-1]
    return (
        run.content[-1]
        and not (word.lead or word.bridge)
        and word.text[:1].isupper()
        and (before.text[:1].isupper() or EDGE_RARITY <= before.rarity < word.rarity)
    )
