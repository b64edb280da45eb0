"""Find the phrase of a sentence a learner should recall: its rare words, a count, a "not"."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from notes2anki.frequencies import zipf_table
from notes2anki.text import Span, mask, normalize

# Words this common (Zipf 5.6: "use", "when", "can") carry the grammar, not the fact.
COMMON_ZIPF = 5.6
# A word used less than once per million words (not in the small lists) counts as this rare.
RAREST = 6.0
# A phrase weaker than this (one everyday word) is no key: the fact makes no cloze.
MIN_SCORE = 1.8
# A word the whole file is about counts for this share of its rarity.
TOPIC_WEIGHT = 0.3
# Longer gaps ask for a sentence back, not a phrase.
MAX_GAP_WORDS = 5
# What each word more in a gap costs: the effort of recalling it too.
WORD_EFFORT = 0.15

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
# One of these between two runs of rare words keeps them one phrase: "terminate a stopped
# instance", "multiple AZs and multiple regions".
_PREPOSITION_TEXT = (
    "of in on at by for to with from per before after into over under between within without"
    " via than von im am an auf für mit zu zum zur bei nach vor über unter zwischen ohne durch"
    " pro de del en con por para al sin entre sobre du des dans avec par pour à au aux sur"
)
_PREPOSITIONS = frozenset(_PREPOSITION_TEXT.split())
# What a preposition inside a gap leads is short: "per region", "by default".
MAX_TAIL_WORDS = 1
_BRIDGE_TEXT = (
    "a an the and or der die das den dem des ein eine einen einem einer eines und oder el la los"
    " las un una y o"
    " le les une et ou"
)
_BRIDGES = frozenset(_BRIDGE_TEXT.split()) | _PREPOSITIONS
_TOKEN = re.compile(r"[^\W_](?:[\w'\u2019./-]*[^\W_])?")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|[\u3002\uff01\uff1f]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Scores: a negation or a count that opens a phrase, a negation or "once" alone, an acronym,
# a capitalised name inside a sentence; the least rarity of a phrase's first and last words.
NEGATION_BONUS = 2.5
COUNT_BONUS = 1.5
LONE_LEAD = 2.0
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
_JOINS = frozenset(("and", "or", "und", "oder", "y", "o", "et", "ou"))
# A later sentence of an item usually explains the first: its phrases weigh less.
_LATER_SENTENCE = 0.5
# The first words of a sentence are mostly its subject, which the card asks about.
_SUBJECT = 0.3


@dataclass(frozen=True, slots=True)
class _Word:
    text: str
    span: Span
    rarity: float
    lead: bool
    bridge: bool
    sentence: int
    first: bool  # the first word of its sentence that is not a common one
    marked: bool  # set in italics by the author


@lru_cache(maxsize=4096)
def key_phrase(
    text: str, language: str, shown: frozenset[str], topic: frozenset[str] = frozenset()
) -> Span | None:
    """Return the span of the phrase most worth hiding, or None when no phrase is worth it."""
    words = _words(text, zipf_table(language), language)
    # A word the card shows anyway (the breadcrumb, or again in its own text) gives itself away.
    uses: dict[str, int] = {}
    lengths: dict[int, int] = {}
    for word in words:
        key = normalize(word.text)
        uses[key] = uses.get(key, 0) + 1
        lengths[word.sentence] = lengths.get(word.sentence, 0) + 1
    whole = f" {normalize(text)} "
    best: tuple[float, Span] | None = None
    for run in _runs(words, text):
        # The words that open a sentence, up to a small word, are mostly its subject: what
        # the card asks about, not what it asks for.
        opening = run[0].first and not run[0].lead
        for start in range(len(run)):
            subject = opening and not any(word.bridge for word in run[: start + 1])
            # A gap leaves most of its sentence to read: half of it at most.
            longest = min(MAX_GAP_WORDS, (lengths[run[start].sentence] + 1) // 2)
            if start and _name_goes_on(run[start - 1], run[start]):
                continue
            for end in range(start + 1, min(len(run), start + longest) + 1):
                if end < len(run) and _name_goes_on(run[end - 1], run[end]):
                    continue  # never half a name: "multi AZ", "Auto Scaling"
                phrase = run[start:end]
                score = _score(phrase, uses, shown, topic)
                if subject:
                    score *= _SUBJECT
                if phrase[0].sentence:
                    score *= _LATER_SENTENCE
                if score <= 0 or (best is not None and score <= best[0]):
                    continue
                # A phrase is worth a gap by its own words; where it stands and what the file
                # is about only rank it among the others.
                if _score(phrase, uses, shown, frozenset()) < MIN_SCORE:
                    continue
                span = Span(phrase[0].span.start, phrase[-1].span.end)
                # A gap never hides words the card still shows elsewhere.
                if whole.count(f" {normalize(text[span.start : span.end])} ") == 1:
                    best = (score, span)
    return None if best is None else best[1]


def _name_goes_on(before: _Word, after: _Word) -> bool:
    """Tell whether two neighbouring words belong to one name, as "Auto Scaling" or "multi AZ"."""
    if before.bridge or after.bridge or before.lead or after.lead:
        return False
    # A capitalised word goes on a name; so does one after a word that only qualifies it.
    return after.text[:1].isupper() and (
        before.text[:1].isupper() or EDGE_RARITY <= before.rarity < after.rarity
    )


def _words(text: str, zipf: Mapping[str, float], language: str) -> list[_Word]:
    masked = mask(text)
    italic = (
        [match.span() for match in _ITALIC.finditer(masked)]
        if "*" in masked or "_" in masked
        else []
    )
    leads = _LEADS.get(language, frozenset())
    sentences = [0]
    sentences += [match.end() for match in _SENTENCE_END.finditer(masked)]
    found: list[_Word] = []
    sentence = 0
    opened = False
    for match in _TOKEN.finditer(masked):
        while sentence + 1 < len(sentences) and match.start() >= sentences[sentence + 1]:
            sentence += 1
        token = match.group()
        lower = token.lower().replace("\u2019", "'")
        if not found or found[-1].sentence != sentence:
            opened = False  # no word of the sentence other than a common one yet
        rarity = _rarity(token, lower, zipf, language, opened)
        marked = any(start <= match.start() < end for start, end in italic)
        common = rarity <= RAREST - COMMON_ZIPF
        first = not opened and not common
        opened = opened or not common
        found.append(
            _Word(
                token,
                Span(match.start(), match.end()),
                max(0.0, rarity),
                lower in leads,
                lower in _BRIDGES,
                sentence,
                first,
                marked,
            )
        )
    return found


def _rarity(
    token: str, lower: str, zipf: Mapping[str, float], language: str, inside: bool
) -> float:
    if _NUMBER.fullmatch(token):
        return RAREST  # a figure is what a learner recalls
    rarity = RAREST - _zipf(lower, zipf)
    if len(token) > 1 and token.isupper() and token.isalpha():
        # An acronym is a technical term, even one spelt like a common word ("DR", "IT");
        # most name what the fact is about more than what it says.
        return ACRONYM_RARITY
    if inside and token[:1].isupper() and token[1:].islower() and language != "de":
        # A capital inside a sentence names something ("the Master"); German capitalises
        # every noun.
        return rarity + NAME_BONUS
    return rarity


def _zipf(word: str, zipf: Mapping[str, float]) -> float:
    found = zipf.get(word)
    if found is not None:
        return found
    for ending in _PLURALS:
        # The lists hold the common forms of a word: "gateways" is as common as "gateway".
        if word.endswith(ending) and len(word) > len(ending) + 2:
            found = zipf.get(word[: -len(ending)])
            if found is not None:
                return found
    parts = [part for part in re.split(r"[-/.]", word) if part]
    if len(parts) > 1:
        # "public-facing" is as common as its parts together are.
        return sum(zipf.get(part, 0.0) for part in parts) / len(parts)
    return 0.0


def _runs(words: list[_Word], text: str) -> list[list[_Word]]:
    """Cut the words into runs that punctuation and common words do not break."""
    runs: list[list[_Word]] = []
    run: list[_Word] = []
    for word in words:
        common = RAREST - word.rarity >= COMMON_ZIPF
        joined = bool(run) and run[-1].sentence == word.sentence
        joined = joined and not text[run[-1].span.end : word.span.start].strip()
        if word.lead:
            # A count or a polarity opens a phrase: "use multiple AZs", "is not created".
            if run:
                runs.append(run)
            run = [word]
        elif not common or (word.bridge and joined and _ends_rare(run)):
            if joined:
                run.append(word)
            else:
                if run:
                    runs.append(run)
                run = [word]
        else:
            if run:
                runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs


def _ends_rare(run: list[_Word]) -> bool:
    # Two small words may stand between rare ones: "one NACL at a time".
    return bool(run) and not (len(run) > 1 and run[-1].bridge and run[-2].bridge)


def _weight(word: _Word, shown: frozenset[str], topic: frozenset[str]) -> float:
    key = normalize(word.text)
    if key in shown:
        return 0.0
    # "subnet" is rare in English, but in notes on networks it is in every other line.
    weight = word.rarity * TOPIC_WEIGHT if key in topic else word.rarity
    return weight + ITALIC_BONUS if word.marked else weight


def _score(
    phrase: list[_Word], uses: Mapping[str, int], shown: frozenset[str], topic: frozenset[str]
) -> float:
    first, last = phrase[0], phrase[-1]
    if first.bridge or last.bridge:
        return 0.0
    if len(phrase) == 1 and first.lead:
        # "run once", "cannot be attached": alone, only a negation or a count of times is a key.
        return LONE_LEAD if normalize(first.text) in _LONE_LEADS else 0.0
    if last.lead or not _balanced(phrase) or not _short_tails(phrase):
        return 0.0
    if first.lead and normalize(phrase[1].text) in _PREPOSITIONS:
        return 0.0  # "once at the instance": a count opens a phrase only before its noun
    # A phrase opens on a word that carries it: "Encryption at rest using KMS" hides "KMS",
    # not "rest using KMS"; it may close on a plainer head noun ("POSIX file system").
    if (first.rarity < EDGE_RARITY and not first.lead) or last.rarity < LAST_RARITY:
        return 0.0
    rarities = sorted(
        _weight(word, shown, topic) for word in phrase if not (word.lead or word.bridge)
    )
    if not rarities or (len(rarities) == 1 and uses.get(normalize(last.text), 0) > 1):
        return 0.0  # a gap never hides a word the card still shows
    # The rarest word makes the key; each word more adds half its weight, less the effort
    # of recalling one word more.
    total = rarities[-1] + sum(0.5 * rarity - WORD_EFFORT for rarity in rarities[:-1])
    if first.lead:
        total += NEGATION_BONUS if normalize(first.text) in _NEGATIONS else COUNT_BONUS
    return total


def _short_tails(phrase: list[_Word]) -> bool:
    """Tell whether what follows a preposition in the phrase is short: "by default"."""
    for index, word in enumerate(phrase):
        if word.bridge and normalize(word.text) in _PREPOSITIONS:
            tail = [w for w in phrase[index + 1 :] if not w.bridge]
            if len(tail) > MAX_TAIL_WORDS:
                return False
    return True


def _balanced(phrase: list[_Word]) -> bool:
    """Tell whether an "and"/"or" in the phrase joins alike parts: "ingress and egress"."""
    joints = [i for i, word in enumerate(phrase) if word.bridge and normalize(word.text) in _JOINS]
    if not joints:
        return True
    if len(joints) > 1:
        return False
    left = [w for w in phrase[: joints[0]] if not w.bridge]
    right = [w for w in phrase[joints[0] + 1 :] if not w.bridge]
    if len(left) != len(right):
        return False
    return (
        len(left) == 1
        or normalize(left[0].text) == normalize(right[0].text)
        or normalize(left[-1].text) == normalize(right[-1].text)
    )
