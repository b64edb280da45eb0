"""Find the phrase of a sentence a learner should recall: its rare words, a count, a "not"."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from notes2anki.cards.phrase_checks import (
    closes_clause_at,
    holds,
    is_idiom,
    is_plain,
    opens_sentence,
    says_how,
)
from notes2anki.cards.phrase_words import (
    COUNT_BONUS,
    EDGE_RARITY,
    END_FOCUS,
    EXTRA_SHARE,
    HAIR,
    LONE_LEAD,
    LONE_LEADS,
    MAX_GAP_WORDS,
    NEGATION_BONUS,
    NEGATIONS,
    PREPOSITIONS,
    RIVAL_SHARE,
    STANDOUT_SHARE,
    SUBJECT,
    TOKEN,
    WORD_EFFORT,
)
from notes2anki.cards.word_runs import Run, Word, word_runs
from notes2anki.cards.word_weights import weigher
from notes2anki.spans import Span
from notes2anki.text import mask, normalize


class KeyPhrase(NamedTuple):
    """The phrase of a text most worth hiding, and whether it stands out of the others."""

    span: Span
    # False when the phrase is one everyday word, or a phrase of another sentence weighs
    # nearly as much: in a long text, hiding it would be a guess at the text's point.
    clear: bool
    # What the weightiest phrase of its sentence sharing none of its words weighs, as a share
    # (weighed only when asked for: else 0 or a rival at RIVAL_SHARE or more).
    rival: float
    # True when the phrase is one everyday word that says how, not what: "reliably", "deleted".
    manner: bool

    def stands_out(self) -> bool:
        """Tell whether the phrase outweighs every other of its sentence by far."""
        return self.rival < STANDOUT_SHARE


class Asked(NamedTuple):
    """What a key phrase is sought with: the words the card shows, the file's topic, the line."""

    # A word the card shows anyway (the breadcrumb, or again in its own text) gives itself away.
    shown: frozenset[str]
    topic: frozenset[str] = frozenset()
    rivals: bool = False  # weigh every phrase that may rival the key
    # The text runs long enough for where a phrase stands to weigh (see END_FOCUS).
    focused: bool = False


# Where a phrase may open in a run: minus its bound (to sort), its word, where its place puts
# it, its bonus, where it must stop, and whether it is a lone lead or opens a phrase.
_Start = tuple[float, int, float, float, int, bool, bool]


@lru_cache(maxsize=4096)
def key_phrase(text: str, language: str, asked: Asked) -> KeyPhrase | None:
    """Find the phrase most worth hiding, or None; with rivals, weigh all that may rival it."""
    search = _Search(text, language, asked)
    for run_index, run in enumerate(search.runs):
        search.search_run(run_index, run)
    return search.result()


class _Search:
    """The search for a text's key phrase: the best so far, and each sentence's and run's."""

    def __init__(self, text: str, language: str, asked: Asked) -> None:
        self.text, self.language, self.topic = text, language, asked.topic
        self.runs, self.lengths, self.keys_used = word_runs(
            text, language, asked.shown, asked.topic
        )
        self.focus = END_FOCUS if asked.focused else 1.0
        self.masked = mask(text) if asked.focused else text
        self.whole = f" {normalize(text)} "
        self.best = 0.0
        self.chosen: tuple[int, int] | None = None  # where the chosen phrase starts and ends
        self.place = (0, 0)  # where the chosen phrase opens: its run, and its word in the run
        self.lone_word: Word | None = None
        self.keys: frozenset[str] = frozenset()
        self.sentence = 0
        # Where the text has several sentences, a phrase of another one may weigh nearly as
        # much as the best: each sentence's best phrase is kept.
        self.margin = RIVAL_SHARE if len(self.lengths) > 1 else 1.0
        # Phrases weaker than this share of the best are passed over: a short line's rivals are
        # never asked for, and most lines are short.
        self.floor = min(STANDOUT_SHARE, self.margin) if asked.rivals else self.margin
        self.tops: dict[int, float] = {}
        # Each run's best phrase, with its words and its sentence: the rivals of the one chosen.
        self.held: dict[int, tuple[float, frozenset[str], int]] = {}

    def search_run(self, run_index: int, run: Run) -> None:
        """Weigh the phrases of one run, the most promising places first."""
        # A gap leaves most of its sentence to read: half of it at most (a run is of one
        # sentence).
        reach = min(MAX_GAP_WORDS, (self.lengths[run[0][0].sentence] + 1) // 2)
        starts = _starts(run, reach, self.text, self.focus)
        # The most promising places first: the others are passed over once they can neither
        # win nor rival the best.
        starts.sort()
        # A place that cannot reach the run's best phrase so far changes nothing: neither the
        # best, nor the run's, nor its sentence's.
        run_best = 0.0
        for begun in starts:
            if -begun[0] < self.best * self.floor or -begun[0] < run_best:
                break
            found = self._phrases(run, begun)
            if not found:
                continue
            # Sorted by score, the shorter phrase first among equals; of two places that score
            # the same, the earlier wins.
            found.sort()
            top = -found[0][0]
            if top > 0 and top >= self.best * self.floor and top >= run_best:
                run_best = self._take(run_index, run, begun, found, run_best)

    def _phrases(self, run: Run, begun: _Start) -> list[tuple[float, int]]:
        """Score the phrases opening at one place (negated, to sort), by where they end."""
        _, start, factor, bonus, stop, lone, opens = begun
        words, ranked, _, content, _, _, _, closes = run
        first, focus, masked = words[start], self.focus, self.masked
        # Of the main clause of a paragraph's first sentence, the phrase that closes it and one
        # opened by a count say what the sentence is there to say (see END_FOCUS).
        main = first.place == 1.0
        # A negation is weighed for itself, and what it denies with it.
        closing = focus > 1.0 and not (
            first.key in NEGATIONS or (start and words[start - 1].key in NEGATIONS)
        )
        # A count opening its sentence is its subject: "One option is ...".
        counted = closing and first.lead and not opens_sentence(masked, first.start)
        found: list[tuple[float, int]] = []
        if lone:
            found.append((-factor * LONE_LEAD * (focus if counted else 1.0), start))
        if not opens:
            return found
        # The rarest word makes the key; each word more adds half its weight, less the effort
        # of recalling one word more: the running sum and most of the weights.
        total = most = 0.0
        count = 0
        # Cut off by its length where the run goes on, the longest phrase opening here would
        # leave out a word it belongs with ("wildcard types on client" leaves out "code"); what
        # a count or a negation opens is cut where it must be ("cannot attach").
        cut = (
            stop - 1
            if stop < len(words)
            and content[stop]
            and words[stop].rarity >= EDGE_RARITY
            and not first.lead
            else -1
        )
        for last in range(start, stop):
            if content[last]:
                weight = ranked[last]
                total += weight
                if weight > most:
                    most = weight
                count += 1
            if not closes[last] or not count or last == cut:
                continue
            if last == start and self.keys_used.count(words[last].key) > 1:
                continue  # a gap never hides a word the card still shows
            weight = most + EXTRA_SHARE * (total - most) - WORD_EFFORT * (count - 1)
            stress = (
                focus
                if main and (counted or (closing and closes_clause_at(masked, words[last].end)))
                else 1.0
            )
            found.append((-factor * stress * (weight + bonus), last))
        return found

    def _take(
        self,
        run_index: int,
        run: Run,
        begun: _Start,
        found: list[tuple[float, int]],
        run_best: float,
    ) -> float:
        """Keep the best phrase opening at one place that holds; return the run's best score."""
        start, bonus = begun[1], begun[3]
        words, bare = run[0], run[2]
        first = words[start]
        for minus_score, last in found:
            score = -minus_score
            if score <= 0 or score < self.best * self.floor or score < run_best:
                break
            phrase = words[start : last + 1]
            held_bonus = bonus if last > start or not first.lead else 0.0
            shown = (self.text, self.whole)
            if not holds(phrase, bare[start : last + 1], held_bonus, shown, self.language):
                continue
            self.tops[first.sentence] = max(score, self.tops.get(first.sentence, 0.0))
            wins = score > self.best or (score == self.best and (run_index, start) < self.place)
            if wins or score > run_best:
                said = frozenset(word.key for word in phrase if not word.bridge)
                if score > run_best:
                    run_best = score
                    self.held[run_index] = (score, said, first.sentence)
                if wins:
                    self.best, self.chosen = score, (first.start, words[last].end)
                    self.place = (run_index, start)
                    self.lone_word = words[start] if last == start else None
                    self.keys = said
                    self.sentence = first.sentence
            break
        return run_best

    def result(self) -> KeyPhrase | None:
        """Return the key phrase found, and how clearly it is the text's point."""
        if self.chosen is None:
            return None
        best, lone_word, language = self.best, self.lone_word, self.language
        # One everyday word ("processed", "suspend") tests the grammar more than the fact; and
        # where another sentence's phrase weighs nearly as much, the text makes several points.
        plain = lone_word is not None and is_plain(lone_word, self.topic)
        ranked = sorted(self.tops.values(), reverse=True)
        clear = not (plain or (len(ranked) > 1 and ranked[1] >= best * self.margin))
        # Its rivals are the phrases of its own sentence: another sentence's weigh in above.
        rival = max(
            (
                score
                for score, said, at in self.held.values()
                if at == self.sentence and not said & self.keys
            ),
            default=0.0,
        )
        # An adverb or participle that ends the line is its point: "KMS keys can be rotated".
        # A rare adverb too: "stores your application files and {optionally}, server logs".
        manner = lone_word is not None and (
            says_how(lone_word, language) or weigher(language)(lone_word.text).adverb
        )
        manner = manner and TOKEN.search(mask(self.text), self.chosen[1]) is not None
        return KeyPhrase(Span(*self.chosen), clear, rival / best, manner)


def _starts(run: Run, reach: int, text: str, focus: float) -> list[_Start]:
    """Return the places a phrase may open in a run, each with the most it could weigh."""
    words, _, _, _, weighed, gains, names, _ = run
    size = len(words)
    # The words that open a sentence, up to a small word, are mostly its subject: what the card
    # asks about, not what it asks for.
    subject = words[0].first and not words[0].lead
    starts: list[_Start] = []
    for start, first in enumerate(words):
        subject = subject and not first.bridge
        # A phrase opens on a word that carries it ("Encryption at rest using KMS" hides "KMS",
        # not "rest using KMS"); a count or a negation opens one only before what it counts
        # ("once at the instance" is no phrase).
        if first.lead:
            if first.key in NEGATIONS and is_idiom(text, words, start):
                continue  # "whether or not", "not only … but also": no denial
            opens = not (
                first.bridge
                or (start and names[start - 1])
                or (start + 1 < size and words[start + 1].key in PREPOSITIONS)
            )
            # "run once", "cannot be attached": alone, only a negation or a count of times is
            # a key.
            lone = first.key in LONE_LEADS and not names[start]
            if not (opens or lone):
                continue
            bonus = NEGATION_BONUS if first.key in NEGATIONS else COUNT_BONUS
        else:
            if first.bridge or first.rarity < EDGE_RARITY or (start and names[start - 1]):
                continue
            opens, lone, bonus = True, False, 0.0
        factor = (SUBJECT if subject else 1.0) * first.place
        stop = min(size, start + reach)
        # No phrase opening here weighs more than its weightiest word, what the others may
        # add, and its bonus (a hair more, for the rounding of sums in another order).
        if opens:
            most = max(weighed[start:stop])
            gain = EXTRA_SHARE * most - WORD_EFFORT
            bound = most - (gain if gain > 0.0 else 0.0) + sum(gains[start:stop]) + bonus
            bound = factor * (LONE_LEAD if lone and bound < LONE_LEAD else bound + HAIR)
        else:
            bound = factor * LONE_LEAD
        bound *= focus
        if bound > 0:
            starts.append((-bound, start, factor, bonus, stop, lone, opens))
    return starts
