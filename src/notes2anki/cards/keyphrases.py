"""Find the phrase of a sentence a learner should recall: its rare words, a count, a "not"."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from functools import cache, lru_cache
from itertools import pairwise
from typing import NamedTuple

from notes2anki.cards.frequencies import zipf_table
from notes2anki.spans import Span
from notes2anki.text import SENTENCE_END, mask, normalize

# Words this common (Zipf 5.6: "use", "when", "can") carry the grammar, not the fact.
COMMON_ZIPF = 5.6
# A word used less than once per million words (not in the small lists) counts as this rare.
RAREST = 6.0
# A phrase weaker than this (one everyday word) is no key: the fact makes no cloze.
MIN_SCORE = 1.8
# A text whose sentences' best phrases weigh within this share of each other has no one key.
RIVAL_SHARE = 0.8
# In a long text, every phrase of the key's sentence that shares none of its words weighs less
# than this share of the key.
STANDOUT_SHARE = 0.64
# A word the whole file is about counts for this share of its rarity.
TOPIC_WEIGHT = 0.3
# A long line puts what it is there to say at the end of its main clause ("you place the web
# servers in the public subnet and the database servers in the private subnet."), or counts it:
# such a phrase weighs this many times more (a negation is weighed for itself: "not already
# known" ends a clause of no weight). In a short sentence the rarest phrase is the point.
END_FOCUS = 5.0
# Longer gaps ask for a sentence back, not a phrase.
MAX_GAP_WORDS = 5
# Each word more in a gap adds this share of its weight, less the effort of recalling it too.
EXTRA_SHARE = 0.5
WORD_EFFORT = 0.15

# The endings of adverbs and participles ("reliably", "deleted", "rápidamente", "abgewartet").
_MANNER_FORMS = {
    "en": re.compile(r"\w\w\w(?:ly|ed)$"),
    "de": re.compile(r"^\w*ge\w\w+t$|\wweise$"),
    "es": re.compile(r"\w\w\w(?:mente|ad[oa]s?|id[oa]s?)$"),
    "fr": re.compile(r"\w\w\w(?:ment|ée?s?)$"),
}
_NO_FORM = re.compile(r"(?!)")
_WE_FORM = re.compile(r"(?<=\w\w\w)(?:(ar|er|ir)(?:emos|íamos)|ábamos|íamos|amos|emos|imos)$")
# Adverbs of manner: a word of four letters or more and the ending ("apply", "only" are none).
_ADVERB_FORMS = {
    "en": re.compile(r"[a-z]{4,}ly"),
    "es": re.compile(r"[a-z\u00e1\u00e9\u00ed\u00f1\u00f3\u00fa]{4,}mente"),
}
_NO_TOPIC: frozenset[str] = frozenset()
_HAIR = 1e-9

# Words that turn a phrase into the fact: a count ("one launch configuration") or a polarity
# ("cannot modify"). Common as they are, they open a key phrase, never stand alone in one.
_LEAD_TEXT = {
    "en": "not cannot can't never no once twice one two three four five six seven eight nine ten"
    " single multiple",
    "de": "nicht kein keine keinen nie niemals genau zwei drei vier fünf sechs sieben acht neun"
    " zehn einzig einzige mehrere",
    "es": "no nunca dos tres cuatro cinco seis siete ocho nueve diez único única múltiples",
    "fr": "pas jamais deux trois quatre cinq six sept huit neuf dix unique plusieurs",
}
_LEADS = {language: frozenset(text.split()) for language, text in _LEAD_TEXT.items()}
# Of those, the ones that make a statement false when left out weigh the most.
_NEGATION_TEXT = "not cannot can't never no nicht kein keine keinen nie niemals nunca pas jamais"
_NEGATIONS = frozenset(_NEGATION_TEXT.split())
# "not only", "nicht nur", "no solo" add; "whether or not", "ob oder nicht" leave open.
_RESTRICTIONS = frozenset(("only", "just", "merely", "nur", "solo", "sólo", "seulement"))
_PLAIN_NOTS = frozenset(("not", "nicht", "no", "pas"))
_OR_BEFORE = re.compile(r"\b(?:or|oder|o|ou)\s+$", re.IGNORECASE)
# One of these between two runs of rare words keeps them one phrase: "terminate a stopped
# instance", "multiple AZs and multiple regions".
_PREPOSITION_TEXT = (
    "of in on at by for to with from per before after into over under between within without"
    " via than using including during despite except von im am an auf für mit zu zum zur bei nach"
    " vor über unter zwischen ohne durch pro aus seit gegen mittels trotz während wegen de del en"
    " con por para al sin entre sobre hasta desde hacia durante según contra tras mediante du des"
    " dans avec par pour à au aux sur"
)
_PREPOSITIONS = frozenset(_PREPOSITION_TEXT.split())
# What a preposition inside a gap leads is short: "per region", "by default".
MAX_TAIL_WORDS = 1
_BRIDGE_TEXT = (
    "a an the and or der die das den dem des ein eine einen einem einer eines und oder el la los"
    " las un una y o"
    " le les une et ou each every jede jeder jedes jeden jedem cada chaque"
)
_BRIDGES = frozenset(_BRIDGE_TEXT.split()) | _PREPOSITIONS
_TOKEN = re.compile(r"[^\W_](?:[\w'\u2019./-]*[^\W_])?")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD_PARTS = re.compile(r"[-/.]")
# What may end a sentence: a line holding none but at its end is one sentence.
_STOP = re.compile(r"[.!?\u3002\uff01\uff1f]")
_new_word = tuple.__new__
# A word this rare or less is a common one.
_COMMON_RARITY = RAREST - COMMON_ZIPF
# Scores: a negation or a count that opens a phrase, a negation or "once" alone, an acronym,
# a capitalised name inside a sentence; the least rarity of a phrase's first and last words.
NEGATION_BONUS = 2.5
COUNT_BONUS = 1.5
LONE_LEAD = 2.0
NEGATED_RARITY = 1.0
ACRONYM_RARITY = 3.0
NAME_BONUS = 1.0
ITALIC_BONUS = 2.0
_ITALIC = re.compile(
    r"(?<![*\w])\*(?![*\s])[^*\n]+?(?<!\s)\*(?![*\w])|(?<![_\w])_(?![_\s])[^_\n]+?(?<!\s)_(?![_\w])"
)
EDGE_RARITY = 0.8
LAST_RARITY = 0.5
_LONE_LEAD_TEXT = "not cannot can't never no once twice nicht kein keine nie niemals nunca jamais"
_LONE_LEADS = frozenset(_LONE_LEAD_TEXT.split())
_PLURALS = ("s", "es", "en", "n", "e")
_POSSESSIVES = ("'s", "\u2019s")
_JOINS = frozenset(("and", "or", "und", "oder", "y", "o", "et", "ou"))
# A later sentence of an item usually explains the first: its phrases weigh less.
_LATER_SENTENCE = 0.5
# "If you have a performance problem, your system is slow": the condition sets the scene, what
# follows its comma is the fact.
_CONDITION = 0.4
_CONDITION_TEXT = (
    "if when whenever because since unless once after before while wenn falls weil da sobald"
    " nachdem bevor si cuando porque mientras lorsque quand puisque"
)
_CONDITIONS = frozenset(_CONDITION_TEXT.split())
# A sentence opening with one of these carries the point of the item, not its explanation.
_CONTRAST_TEXT = (
    "however but yet nevertheless nonetheless jedoch aber allerdings pero cependant mais"
)
_CONTRASTS = frozenset(_CONTRAST_TEXT.split())
# A sentence opening with one of these and a comma later opens with its scene.
_SCENES = _CONDITIONS | _PREPOSITIONS
# What a clause of purpose or a relative one says ("so that ingress and egress can flow",
# "which will be explained") explains the fact; the fact is before it.
_PURPOSE = re.compile(
    r"(?:so\s+that|in\s+order\s+to|to\s+ensure|which|damit|sodass|para\s+que|afin\s+de)\b",
    re.IGNORECASE,
)
_PURPOSE_WEIGHT = 0.5
# The words such a clause opens with: a word that opens none is passed over unread.
_PURPOSE_OPENING = re.compile(r"so|in|to|which|damit|sodass|para|afin", re.IGNORECASE)
# The first words of a sentence are mostly its subject, which the card asks about.
_SUBJECT = 0.3


class _Word(NamedTuple):
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


class _Run(NamedTuple):
    """Words that punctuation and common words do not break, and what each weighs in a phrase."""

    words: list[_Word]
    ranked: list[float]  # as a key among the file's topic words
    bare: list[float]  # alone, whatever the file is about
    content: list[bool]  # not a small word ("of", "not", "one")
    weighed: list[float]  # a content word's weight, else none
    gains: list[float]  # what it may add to a phrase past its weightiest word
    names: list[bool]  # a name goes on into the next word
    closes: list[bool]  # a phrase may end on it


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


@lru_cache(maxsize=4096)
def key_phrase(
    text: str,
    language: str,
    shown: frozenset[str],
    topic: frozenset[str] = frozenset(),
    rivals: bool = False,
    focused: bool = False,
) -> KeyPhrase | None:
    """Find the phrase most worth hiding, or None; with rivals, weigh all that may rival it."""
    # focused: the text runs long enough for where a phrase stands to weigh (see END_FOCUS).
    # A word the card shows anyway (the breadcrumb, or again in its own text) gives itself away.
    runs, lengths, keys_used = _runs(text, language, shown, topic)
    focus = END_FOCUS if focused else 1.0
    masked = mask(text) if focused else text
    whole = f" {normalize(text)} "
    best = 0.0
    chosen: tuple[int, int] | None = None  # where the chosen phrase starts and ends
    place = (0, 0)  # where the chosen phrase opens: its run, and its word in the run
    lone_word: _Word | None = None
    keys: frozenset[str] = frozenset()
    sentence = 0
    # Where the text has several sentences, a phrase of another one may weigh nearly as much
    # as the best: each sentence's best phrase is kept.
    margin = RIVAL_SHARE if len(lengths) > 1 else 1.0
    # Phrases weaker than this share of the best are passed over: a short line's rivals are
    # never asked for, and most lines are short.
    floor = min(STANDOUT_SHARE, margin) if rivals else margin
    tops: dict[int, float] = {}
    # Each run's best phrase, with its words and its sentence: the rivals of the one chosen.
    held: dict[int, tuple[float, frozenset[str], int]] = {}
    for run_index, (run, ranked, bare, content, weighed, gains, names, closes) in enumerate(runs):
        size = len(run)
        # A gap leaves most of its sentence to read: half of it at most (a run is of one sentence).
        reach = min(MAX_GAP_WORDS, (lengths[run[0].sentence] + 1) // 2)
        # The words that open a sentence, up to a small word, are mostly its subject: what
        # the card asks about, not what it asks for.
        subject = run[0].first and not run[0].lead
        starts: list[tuple[float, int, float, float, int, bool, bool]] = []
        for start, first in enumerate(run):
            subject = subject and not first.bridge
            # A phrase opens on a word that carries it ("Encryption at rest using KMS" hides
            # "KMS", not "rest using KMS"); a count or a negation opens one only before what
            # it counts ("once at the instance" is no phrase).
            if first.lead:
                if first.key in _NEGATIONS and _idiom(text, run, start):
                    continue  # "whether or not", "not only … but also": no denial
                opens = not (
                    first.bridge
                    or (start and names[start - 1])
                    or (start + 1 < size and run[start + 1].key in _PREPOSITIONS)
                )
                # "run once", "cannot be attached": alone, only a negation or a count of times
                # is a key.
                lone = first.key in _LONE_LEADS and not names[start]
                if not (opens or lone):
                    continue
                bonus = NEGATION_BONUS if first.key in _NEGATIONS else COUNT_BONUS
            else:
                if first.bridge or first.rarity < EDGE_RARITY or (start and names[start - 1]):
                    continue
                opens, lone, bonus = True, False, 0.0
            factor = (_SUBJECT if subject else 1.0) * first.place
            stop = min(size, start + reach)
            # No phrase opening here weighs more than its weightiest word, what the others may
            # add, and its bonus (a hair more, for the rounding of sums in another order).
            if opens:
                most = max(weighed[start:stop])
                gain = EXTRA_SHARE * most - WORD_EFFORT
                bound = most - (gain if gain > 0.0 else 0.0) + sum(gains[start:stop]) + bonus
                bound = factor * (LONE_LEAD if lone and bound < LONE_LEAD else bound + _HAIR)
            else:
                bound = factor * LONE_LEAD
            bound *= focus
            if bound > 0:
                starts.append((-bound, start, factor, bonus, stop, lone, opens))
        # The most promising places first: the others are passed over once they can neither win
        # nor rival the best.
        starts.sort()
        # A place that cannot reach the run's best phrase so far changes nothing: neither the
        # best, nor the run's, nor its sentence's.
        run_best = 0.0
        for minus_bound, start, factor, bonus, stop, lone, opens in starts:
            if -minus_bound < best * floor or -minus_bound < run_best:
                break
            first = run[start]
            # Of the main clause of a paragraph's first sentence, the phrase that closes it and
            # one opened by a count say what the sentence is there to say (see END_FOCUS).
            main = first.place == 1.0
            # A negation is weighed for itself, and what it denies with it.
            closing = focus > 1.0 and not (
                first.key in _NEGATIONS or (start and run[start - 1].key in _NEGATIONS)
            )
            # A count opening its sentence is its subject: "One option is ...".
            counted = closing and first.lead and not _opens(masked, first.start)
            # The phrases opening here, scored (negated, to sort): the best of them are checked
            # until one holds.
            found: list[tuple[float, int]] = []
            if lone:
                found.append((-factor * LONE_LEAD * (focus if counted else 1.0), start))
            if opens:
                # The rarest word makes the key; each word more adds half its weight, less the
                # effort of recalling one word more: the running sum and most of the weights.
                total = most = 0.0
                count = 0
                # Cut off by its length where the run goes on, the longest phrase opening here
                # would leave out a word it belongs with ("wildcard types on client" leaves out
                # "code"); what a count or a negation opens is cut where it must be ("cannot
                # attach").
                cut = (
                    stop - 1
                    if stop < size
                    and content[stop]
                    and run[stop].rarity >= EDGE_RARITY
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
                    if not closes[last] or not count:
                        continue
                    if last == cut:
                        continue
                    if last == start and keys_used.count(run[last].key) > 1:
                        continue  # a gap never hides a word the card still shows
                    weight = most + EXTRA_SHARE * (total - most) - WORD_EFFORT * (count - 1)
                    stress = (
                        focus
                        if main and (counted or (closing and _closes(masked, run[last].end)))
                        else 1.0
                    )
                    found.append((-factor * stress * (weight + bonus), last))
            # Sorted by score, the shorter phrase first among equals; of two places that score
            # the same, the earlier wins.
            found.sort()
            for minus_score, last in found:
                score = -minus_score
                if score <= 0 or score < best * floor or score < run_best:
                    break
                phrase = run[start : last + 1]
                held_bonus = bonus if last > start or not first.lead else 0.0
                if _holds(phrase, bare[start : last + 1], held_bonus, (text, whole), language):
                    tops[first.sentence] = max(score, tops.get(first.sentence, 0.0))
                    wins = score > best or (score == best and (run_index, start) < place)
                    runs_best = score > run_best
                    if wins or runs_best:
                        said = frozenset(word.key for word in phrase if not word.bridge)
                        if runs_best:
                            run_best = score
                            held[run_index] = (score, said, first.sentence)
                        if wins:
                            best, chosen = score, (first.start, run[last].end)
                            place = (run_index, start)
                            lone_word = run[start] if last == start else None
                            keys = said
                            sentence = first.sentence
                    break
    if chosen is None:
        return None
    # One everyday word ("processed", "suspend") tests the grammar more than the fact; and
    # where another sentence's phrase weighs nearly as much, the text makes several points.
    plain = lone_word is not None and _plain(lone_word, topic)
    ranked = sorted(tops.values(), reverse=True)
    clear = not (plain or (len(ranked) > 1 and ranked[1] >= best * margin))
    # Its rivals are the phrases of its own sentence: another sentence's weigh in above.
    rival = max(
        (score for score, said, at in held.values() if at == sentence and not said & keys),
        default=0.0,
    )
    # An adverb or participle that ends the line is its point: "KMS keys can be rotated".
    # A rare adverb too: "stores your application files and {optionally}, server logs".
    manner = lone_word is not None and (
        _manner(lone_word, language) or _weigher(language)(lone_word.text).adverb
    )
    manner = manner and _TOKEN.search(mask(text), chosen[1]) is not None
    return KeyPhrase(Span(*chosen), clear, rival / best, manner)


def _idiom(text: str, run: list[_Word], start: int) -> bool:
    """Tell whether a negation only joins ("whether or not", "not only … but also")."""
    word = run[start]
    if start + 1 < len(run) and run[start + 1].key in _RESTRICTIONS:
        return True
    # "or cannot access S3" denies; "whether or not" only leaves the question open.
    return (
        word.key in _PLAIN_NOTS
        and _OR_BEFORE.search(text, max(0, word.start - 8), word.start) is not None
    )


def _opens(masked: str, start: int) -> bool:
    """Tell whether a word starting here opens its sentence."""
    before = masked[:start].rstrip(" *_\0(")
    return not before or before[-1] in ".!?"


def _closes(masked: str, end: int) -> bool:
    """Tell whether a phrase ending here closes its clause: a stop or a comma follows."""
    # Marks, closing brackets and an aside (blanked by mask) stand between it and the stop.
    after = masked[end:].lstrip(" *_\0)")
    return not after or after[0] in ".!?;:,"


def in_point(text: str, position: int) -> bool:
    """Tell whether a place of a text is in its first sentence, or in one that turns it."""
    # The sentences after an item's first explain it ("This option automates ..."), unless one
    # opens with "However," and says what the item is there for.
    masked = mask(text)
    start = 0
    for end in SENTENCE_END.finditer(masked, 0, position):
        start = end.end()
    if not start:
        return True
    first = _TOKEN.search(masked, start)
    return first is not None and first.group().lower() in _CONTRASTS


def only_joins(text: str) -> bool:
    """Tell whether a text is only words that join others: "to", "or", "and"."""
    tokens = _TOKEN.findall(text.lower())
    return bool(tokens) and all(token in _BRIDGES for token in tokens)


def stresses(text: str, language: str) -> bool:
    """Tell whether every word of a text is an everyday one of the language ("First", "any")."""
    tokens = _TOKEN.findall(text)
    return bool(tokens) and all(
        _token(token, language, False)[0] <= RAREST - COMMON_ZIPF for token in tokens
    )


def _holds(
    phrase: list[_Word], alone: list[float], bonus: float, texts: tuple[str, str], language: str
) -> bool:
    """Tell whether a phrase makes a gap: well formed, weighty alone, shown nowhere else."""
    # alone: each word's weight whatever the file is about; text as written, and folded with a
    # space at each end.
    text, whole = texts
    if len(phrase) == 1:
        word = phrase[0]
        # One word is well formed: its weight alone and its bonus make it a gap, or not.
        if not word.lead and alone[0] + bonus < MIN_SCORE:
            return False
        return whole.count(f" {word.key} ") == 1
    # Only a small word in it ("and", "of") can make a phrase ill formed.
    if any(word.bridge for word in phrase) and not (
        _balanced(phrase, language, text) and _short_tails(phrase)
    ):
        return False
    # A phrase is worth a gap by its own words; where it stands and what the file is about
    # only rank it among the others.
    weights = [w for word, w in zip(phrase, alone, strict=True) if not (word.lead or word.bridge)]
    most = max(weights)
    plain = most + EXTRA_SHARE * (sum(weights) - most)
    if plain - WORD_EFFORT * (len(weights) - 1) + bonus < MIN_SCORE:
        return False
    # A gap never hides words the card still shows elsewhere (the words of a run stand only
    # a space apart: their folded forms joined are the phrase folded).
    return whole.count(f" {' '.join(word.key for word in phrase)} ") == 1


def _manner(word: _Word, language: str) -> bool:
    """Tell whether a word is an everyday adverb or participle: "reliably", "deleted"."""
    # Alone, such a word tests how the sentence goes on, not what the fact names; whether it
    # is everyday is the language's matter, not the file's.
    form = _MANNER_FORMS.get(language, _NO_FORM)
    return word.text.isalpha() and _plain(word, _NO_TOPIC) and bool(form.search(word.key))


def _plain(word: _Word, topic: frozenset[str]) -> bool:
    """Tell whether a word alone says little: an everyday one, or one the whole file is about."""
    if word.marked or word.lead:
        return False
    # A word the lists lack weighs RAREST, one they hold less; a capitalised one is a name.
    return word.key in topic or (word.text.islower() and word.rarity < RAREST)


def _runs(
    text: str, language: str, shown: frozenset[str], topic: frozenset[str]
) -> tuple[list[_Run], dict[int, int], list[str]]:
    """Weigh a text's words in runs; count each sentence's words, list each one's folded form."""
    # A common word only ends a run of rarer ones, and the text between two kept words shows
    # where one stood: keeping it would cost a word object for nothing.
    masked = mask(text)
    italic = (
        [match.span() for match in _ITALIC.finditer(masked)]
        if "*" in masked or "_" in masked
        else []
    )
    # Most lines are one sentence, its stop at the end: they are not searched for more.
    sentences = [0]
    if _STOP.search(masked, 0, len(masked) - 1):
        sentences += [match.end() for match in SENTENCE_END.finditer(masked)]
    weigh = _weigher(language)
    runs: list[_Run] = []
    run: list[_Word] = []  # the run going on, and what its words weigh
    ranked: list[float] = []
    bare: list[float] = []
    content: list[bool] = []
    weighed: list[float] = []
    gains: list[float] = []
    names: list[bool] = []
    closes: list[bool] = []
    previous: _Word | None = None  # the word kept before this one
    sentence = 0
    opened = False  # a word of the sentence other than a common one came
    ends = iter(sentences[1:])
    next_end = next(ends, len(masked) + 1)
    condition_end = -1  # where the clause of a condition ("If you have ..., ") ends
    purpose_end = -1  # where a clause of purpose ("so that ...", "which ...") ends
    later = 1.0  # what a sentence after the first weighs
    opening = True  # no word of the sentence but a "However," came yet
    fresh = True  # the next word opens a sentence
    every_key: list[str] = []  # each word's folded form, counted after
    firsts = [(0, 0)]  # each sentence, and how many words came before it
    for match in _TOKEN.finditer(masked):
        start, end = match.span()
        if start >= next_end:
            while start >= next_end:
                sentence += 1
                next_end = next(ends, len(masked) + 1)
            opened = False
            fresh = True
            firsts.append((sentence, len(every_key)))
        token = match.group()
        rarity, lead, bridge, key, named, purposive, adverb = weigh(token)
        if opened:
            rarity += named
        every_key.append(key)
        if fresh:
            fresh = False
            # "However, ..." after a first sentence says what the item is there for.
            later = 1.0 if not sentence or key in _CONTRASTS else _LATER_SENTENCE
            opening = True
        if opening:
            # What opens a sentence before its comma ("If ...,", "By default,", "In an ideal
            # architecture,") sets the scene, after a "However," too.
            lower = token.lower()
            comma = masked.find(",", start, next_end)
            condition_end = comma if comma > 0 and lower in _SCENES else -1
            opening = lower in _CONTRASTS and masked.startswith(",", end)
        elif purposive and start > purpose_end and _PURPOSE.match(masked, start):
            comma = masked.find(",", start, next_end)
            purpose_end = comma if comma > 0 else next_end
        place = later
        if start < condition_end:
            place *= _CONDITION
        elif start < purpose_end:
            place *= _PURPOSE_WEIGHT
        common = rarity <= _COMMON_RARITY
        if (
            common
            and not bridge
            and previous is not None
            and previous.key in _NEGATIONS
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
        if rarity < 0.0:
            rarity = 0.0
        # Made as a plain tuple is (a named tuple's constructor is a call in Python).
        word = _new_word(
            _Word,
            (token, start, end, rarity, lead, bridge, sentence, first, marked, key, place),
        )
        previous = word
        # Its weight as a key among the file's topic words (what a gap's words add up to counts
        # its content words only); a phrase closes on a word that may be a plainer head noun
        # ("POSIX file system"), never on a small word.
        small = lead or bridge
        if key in shown or (" " in key and shown.issuperset(key.split())):
            # "Intelligent-Tiering" under the heading "S3 Intelligent-Tiering".
            alone = weight = 0.0
        else:
            # "subnet" is rare in English, but in notes on networks it is in every other line.
            alone = weight = rarity
            if key in topic:
                weight = weight * TOPIC_WEIGHT
            if marked:
                alone += ITALIC_BONUS
                weight += ITALIC_BONUS
        gain = 0.0 if small else EXTRA_SHARE * weight - WORD_EFFORT
        # Runs of words that punctuation and common words do not break: a phrase is one run's.
        joined = (
            bool(run)
            and run[-1].sentence == sentence
            and not text[run[-1].end : start].strip()
            # A clause of purpose opens within a run of words: "configure your routing | to
            # ensure".
            and run[-1].place == place
        )
        if lead and not (joined and run[-1].key in _JOINS):
            # A count or a polarity opens a phrase: "use multiple AZs", "is not created"; after
            # "and" it goes on one: "multiple AZs and multiple regions".
            goes_on = False
        elif RAREST - rarity < COMMON_ZIPF or (bridge and joined and _takes_bridge(run)):
            goes_on = joined
        else:
            if run:
                runs.append(_Run(run, ranked, bare, content, weighed, gains, names, closes))
                run = []
            continue
        if (
            goes_on
            and adverb
            and not run[-1].bridge
            and run[-1].key not in _NEGATIONS
            and not _MANNER_FORMS[language].search(run[-1].key)
            and not _qualifies(masked, end, language)
            and not _verb(masked, run[-1].start, language)
        ):
            # An adverb after a noun tells how its clause's verb goes ("attached to the {EC2
            # hosts} directly", "SAM {framework} natively uses"): it belongs to no phrase, and
            # none runs across it. After a participle, a negation or a verb it belongs with
            # them ("{not replicated automatically}", "will {distribute evenly}"), before a
            # participle too ("{K equally sized subsets}").
            runs.append(_Run(run, ranked, bare, content, weighed, gains, names, closes))
            run, ranked, bare, content, weighed, gains, names, closes = ([] for _ in range(8))
            continue
        if goes_on:
            before = run[-1]
            # A name goes on into this word ("Auto Scaling", "multi AZ") where it is
            # capitalised, after a capitalised word or one that only qualifies it: a gap may
            # neither end nor start between them.
            if (
                content[-1]
                and not small
                and token[:1].isupper()
                and (before.text[:1].isupper() or EDGE_RARITY <= before.rarity < rarity)
            ):
                names[-1] = True
                closes[-1] = False
        else:
            if run:
                runs.append(_Run(run, ranked, bare, content, weighed, gains, names, closes))
            run, ranked, bare, content, weighed, gains, names, closes = ([] for _ in range(8))
        run.append(word)
        ranked.append(weight)
        bare.append(alone)
        content.append(not small)
        weighed.append(0.0 if small else weight)
        gains.append(gain if gain > 0.0 else 0.0)
        names.append(False)
        closes.append(not small and rarity >= LAST_RARITY)
    if run:
        runs.append(_Run(run, ranked, bare, content, weighed, gains, names, closes))
    # Each sentence's words: from where it starts to where the next one does.
    firsts.append((sentence + 1, len(every_key)))
    lengths = {
        at: after - before for (at, before), (_, after) in pairwise(firsts) if after > before
    }
    # Whether a word comes again is asked of a few words only: they are counted then.
    return runs, lengths, every_key


class _Weighed(NamedTuple):
    """What a word weighs wherever it stands, and its folded form."""

    rarity: float  # as the first word of a sentence
    lead: bool
    bridge: bool
    key: str
    named: float  # what it weighs more inside a sentence, as a capitalised name
    purposive: bool  # whether it may open a clause of purpose ("so that", "which")
    adverb: bool  # an adverb of manner: "directly", "rápidamente"


@cache
def _weigher(language: str) -> Callable[[str], _Weighed]:
    """Return the function that weighs a word of the language, once per word."""
    zipf = zipf_table(language)
    leads = _LEADS.get(language, frozenset())

    # Notes use a few thousand words over and over: each is weighed once.
    @lru_cache(maxsize=65536)
    def weigh(token: str) -> _Weighed:
        lower = token.lower().replace("\u2019", "'")
        # "unless", "whereas": rare as they are, they join clauses and never belong to a key.
        rarity = (
            0.0
            if lower in _JOINERS or lower in _NAMING or _says_we(lower, language, zipf)
            else _rarity(token, lower, zipf)
        )
        # A capital inside a sentence names something ("the Master"); German capitalises
        # every noun.
        named = (
            NAME_BONUS
            if language != "de"
            and lower not in _JOINERS
            and token[:1].isupper()
            and token[1:].islower()
            else 0.0
        )
        return _Weighed(
            rarity,
            lower in leads,
            lower in _BRIDGES,
            normalize(token),
            named,
            bool(_PURPOSE_OPENING.match(token)),
            _adverb(lower, language, zipf),
        )

    return weigh


def _adverb(lower: str, language: str, zipf: Mapping[str, float]) -> bool:
    """Tell whether a word is an adverb made of an adjective: "directly", "automatically"."""
    form = _ADVERB_FORMS.get(language)
    if form is None or not form.fullmatch(lower):
        return False
    if language != "en":
        return True
    # "family", "supply", "assembly" end alike: an adverb's stem is a word of its own.
    if lower.endswith(("ably", "ibly")):
        stem = lower[:-1] + "e"  # "reliably"
    elif lower.endswith("ically"):
        stem = lower[:-4]  # "automatically"
    elif lower.endswith("ily"):
        stem = lower[:-3] + "y"  # "easily"
    else:
        stem = lower[:-2]
    return stem in zipf


def _says_we(lower: str, language: str, zipf: Mapping[str, float]) -> bool:
    """Tell whether a Spanish word is a verb of the first person plural: "insertamos"."""
    # Notes written as "we do this, then we return that" ("regresamos 0") put a verb in the
    # gap; "mínimos", "extremos" end alike, but no verb is made of their stems.
    ending = _WE_FORM.search(lower) if language == "es" else None
    if ending is None:
        return False
    stem = lower[: ending.start()]
    if ending.group(1):  # "insertaremos", "volveríamos": the future and the conditional
        return stem + ending.group(1) in zipf
    return any(stem + infinitive in zipf for infinitive in ("ar", "er", "ir"))


def _qualifies(masked: str, end: int, language: str) -> bool:
    """Tell whether the word after an adverb is a participle it qualifies: "equally sized"."""
    following = _TOKEN.match(masked, end + 1)
    return following is not None and bool(_MANNER_FORMS[language].search(following.group()))


def _verb(masked: str, start: int, language: str) -> bool:
    """Tell whether the word at start is a verb by the word before it: "will distribute"."""
    # The word before sits just before it: a long line is not searched from its start.
    before = _LAST_WORD.search(masked, max(0, start - 40), start)
    return before is not None and before.group(1).lower() in _VERB_MARKERS.get(
        language, _NO_MARKERS
    )


def _token(token: str, language: str, inside: bool) -> tuple[float, bool, bool, str]:
    """Return a word's rarity, whether it leads or bridges a phrase, and its folded form."""
    rarity, lead, bridge, key, named, _, _ = _weigher(language)(token)
    return (rarity + named if inside else rarity), lead, bridge, key


def _rarity(token: str, lower: str, zipf: Mapping[str, float]) -> float:
    if _NUMBER.fullmatch(token):
        return RAREST  # a figure is what a learner recalls
    if len(token) > 1 and token.isupper() and token.isalpha():
        # An acronym is a technical term, even one spelt like a common word ("DR", "IT");
        # most name what the fact is about more than what it says.
        return ACRONYM_RARITY
    return RAREST - _zipf(lower, zipf)


def _zipf(word: str, zipf: Mapping[str, float]) -> float:
    found = zipf.get(word)
    if found is not None:
        return found
    if word.endswith(_POSSESSIVES):
        # "object's" is as common as "object".
        return _zipf(word[:-2], zipf)
    for ending in _PLURALS:
        # The lists hold the common forms of a word: "gateways" is as common as "gateway".
        if word.endswith(ending) and len(word) > len(ending) + 2:
            found = zipf.get(word[: -len(ending)])
            if found is not None:
                return found
    parts = [part for part in _WORD_PARTS.split(word) if part]
    if len(parts) > 1:
        # "nearly-unlimited" is rarer than either of its parts: as wordfreq estimates a phrase,
        # one over its frequency is the sum of one over each part's.
        known = [zipf.get(part, 0.0) for part in parts]
        if not all(known):
            return 0.0
        return -math.log10(sum(10.0**-part for part in known))
    return 0.0


def _takes_bridge(run: list[_Word]) -> bool:
    # Two small words may stand between rare ones: "one NACL at a time".
    return bool(run) and not (len(run) > 1 and run[-1].bridge and run[-2].bridge)


def _short_tails(phrase: list[_Word]) -> bool:
    """Tell whether what follows a preposition in the phrase is short: "by default"."""
    for index, word in enumerate(phrase):
        if word.bridge and word.key in _PREPOSITIONS:
            tail = [w for w in phrase[index + 1 :] if not w.bridge]
            if len(tail) > MAX_TAIL_WORDS:
                return False
    return True


def _balanced(phrase: list[_Word], language: str, text: str) -> bool:
    """Tell whether an "and"/"or" in the phrase joins alike parts: "ingress and egress"."""
    form = _MANNER_FORMS.get(language, _NO_FORM)
    joints = [i for i, word in enumerate(phrase) if word.bridge and word.key in _JOINS]
    if not joints:
        return True
    if len(joints) > 1:
        return False
    left = [w for w in phrase[: joints[0]] if not w.bridge]
    right = [w for w in phrase[joints[0] + 1 :] if not w.bridge]
    # Alike parts are about as long ("more hardware and additional complexity", "senden und
    # mithören"); a preposition in either makes one a clause of its own ("designed and
    # configured to withstand").
    if abs(len(left) - len(right)) > 1 or any(word.key in _PREPOSITIONS for word in phrase):
        return False
    if len(left) != len(right):
        # Of unequal parts, one is a single word and no verb form ("computers designed and
        # configured"), neither repeats the other ("may or may"), and the phrase ends its
        # clause: else the single word opens a clause of its own ("logs and pull images").
        single = left if len(left) == 1 else right
        keys = [word.key for word in left] + [word.key for word in right]
        return (
            len(single) == 1
            and not form.search(single[0].key)
            and len(set(keys)) == len(keys)
            and _closes_clause(text, phrase[-1].end)
        )
    # Alike parts end alike: "files and optionally" joins a noun to how a verb goes on.
    adverbs = _ADVERB_FORMS.get(language, _NO_FORM)
    if bool(adverbs.fullmatch(left[-1].key)) != bool(adverbs.fullmatch(right[-1].key)):
        return False
    return len(left) == 1 or left[0].key == right[0].key or left[-1].key == right[-1].key


@lru_cache(maxsize=4096)
def complement(text: str, language: str, shown: frozenset[str]) -> Span | None:
    """Find what a short definition says its subject is: "SQS is {a pull based system}"."""
    links = _COPULAS.get(language)
    if links is None or not _COPULA_WORDS[language].search(text):
        return None  # most facts define nothing: they are passed over unread
    first, tokens, link = _linked(text, links)
    # The subject: a few words before "is", more than one word or not a common one ("It is"
    # and "There is" name nothing).
    if (
        not link
        or tokens[0].group().lower() in _CLAUSE_ENDS  # "If the servers are public-facing"
        or (link == 1 and _token(tokens[0].group(), language, True)[0] < EDGE_RARITY)
    ):
        return None
    # What it is runs to the end of the clause.
    rest = tokens[link + 1 :]
    while rest and rest[0].group().lower() in _BRIDGES:
        rest = rest[1:]  # "a pull based system" is hidden as "pull based system"
    words = _clause(first, rest)
    if not words or words[-1].group().lower() in _BRIDGES:  # "is determined by | whether ..."
        return None
    weights = [_token(w.group(), language, True)[0] for w in words]
    keys = {normalize(w.group()) for w in words}
    if (max(weights) < COMPLEMENT_RARITY and sum(weights) < COMPLEMENT_SUM) or keys <= shown:
        return None
    return _once(text, words)


def predicate(text: str, language: str, shown: frozenset[str]) -> Span | None:
    """Find what a short line says its subject can or will do: "Long polling can {save money}"."""
    modals = _MODALS.get(language)
    if modals is None:
        return None
    first, tokens, link = _linked(text, modals)
    if not link:
        return None  # no subject before it, or no "can" / "will" near the start
    words = _clause(first, tokens[link + 1 :])
    if not words:
        return None
    # A word in it says what is done, not only how ("be mixed together", "be associated"), and
    # is no everyday one ("be used") nor one the card shows anyway.
    form = _MANNER_FORMS.get(language, _NO_FORM)
    keys = {normalize(word.group()) for word in words}
    if keys <= shown or not any(
        _token(word.group(), language, True)[0] > _COMMON_RARITY
        and not form.search(word.group().lower())
        for word in words
    ):
        return None
    return _once(text, words)


def _linked(text: str, links: frozenset[str]) -> tuple[str, list[re.Match[str]], int | None]:
    """Find a first sentence's main-clause words and where its link ("is", "can") stands."""
    first = SENTENCE_END.split(mask(text), maxsplit=1)[0]
    tokens = list(_TOKEN.finditer(first))
    if tokens and tokens[0].group().lower() in _CONDITIONS and "," in first:
        # "If you have a performance problem, your system is slow": the fact follows the comma.
        comma = first.index(",")
        tokens = [token for token in tokens if token.start() > comma]
    link = next(
        (i for i, t in enumerate(tokens[: MAX_SUBJECT_WORDS + 1]) if t.group().lower() in links),
        None,
    )
    return first, tokens, link


def _clause(first: str, rest: list[re.Match[str]]) -> list[re.Match[str]]:
    """Return the words that run on to the end of their clause: a gap's, or none."""
    words: list[re.Match[str]] = []
    for token in rest:
        between = first[(words[-1].end() if words else token.start()) : token.start()]
        if token.group().lower() in _CLAUSE_ENDS or between.strip():
            break
        words.append(token)
    if not 1 <= len(words) <= MAX_GAP_WORDS or not _closes_clause(first, words[-1].end()):
        return []
    return words


def _once(text: str, words: list[re.Match[str]]) -> Span | None:
    """Return the words' span, unless the text says them again (a gap would show its answer)."""
    span = Span(words[0].start(), words[-1].end())
    folded = normalize(text[span.start : span.end])
    return span if f" {normalize(text)} ".count(f" {folded} ") == 1 else None


def _closes_clause(sentence: str, end: int) -> bool:
    """Tell whether a clause ends here: at a stop, a comma, a "but" or the sentence's end."""
    after = sentence[end:].lstrip()
    return not after or after[0] in ".,;:!?(" or after.split()[0].lower() in _CLAUSE_ENDS


# A definition's verb ("SQS is a pull based system"), and the words that end its clause.
MAX_SUBJECT_WORDS = 4
# What a definition says is a key when one of its words is this rare: "pull based", not
# "a good choice".
COMPLEMENT_RARITY = 1.2
# ... or when its words together are this rare: "pull based system".
COMPLEMENT_SUM = 1.8
_COPULAS = {
    "en": frozenset(("is", "are")),
    "de": frozenset(("ist", "sind")),
    "es": frozenset(("es", "son")),
    "fr": frozenset(("est", "sont")),
}
_COPULA_WORDS = {
    language: re.compile(rf"\b(?:{'|'.join(sorted(words))})\b", re.IGNORECASE)
    for language, words in _COPULAS.items()
}
# What a subject can or will do: "Long polling can save money", "message will appear again".
_MODALS = {
    "en": frozenset(["can", "could", "will", "would", "may", "might", "must", "should"]),
    "de": frozenset(
        ["kann", "können", "wird", "werden", "muss", "müssen", "soll", "sollen", "darf", "dürfen"]
    ),
    "es": frozenset(["puede", "pueden", "debe", "deben"]),
    "fr": frozenset(["peut", "peuvent", "doit", "doivent"]),
}
# The words a verb follows: a modal, a pronoun as its subject, the "to" of an infinitive.
_VERB_MARKERS = {
    language: words | frozenset(more.split())
    for language, words, more in (
        ("en", _MODALS["en"], "it they we you he she to does do did"),
        ("de", _MODALS["de"], "es sie wir ihr zu"),
        ("es", _MODALS["es"], "se"),
        ("fr", _MODALS["fr"], "il ils elle elles nous vous on"),
    )
}
_NO_MARKERS: frozenset[str] = frozenset()
_LAST_WORD = re.compile(r"(\w+)\s+$")
# The verbs that give a thing its name ("se llama espacio normado", "is termed a lease") lead
# to the name: no part of it.
_NAMING_TEXT = (
    "called termed named llama llaman denomina denominan heißt heißen nennt nennen appelle"
    " appellent appelé appelée appelés"
)
_NAMING = frozenset(_NAMING_TEXT.split())
_CLAUSE_END_TEXT = (
    "but which that so if when because where while whereas whether although aber weil wenn da ob"
    " das die der wo wohin woher wie pero que porque cuando si donde mais qui parce quand où"
)
_CLAUSE_ENDS = frozenset(_CLAUSE_END_TEXT.split())
# "once" joins clauses too, but as a count it is a key: "delivered at least once".
_JOINERS = (_CLAUSE_ENDS | _CONDITIONS) - _LONE_LEADS
