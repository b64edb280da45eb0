"""Tell whether a phrase holds as a key: balanced, whole, more than one everyday word."""

from __future__ import annotations

from notes2anki.cards.clauses import closes_clause
from notes2anki.cards.phrase_words import (
    ADVERB_FORMS,
    BRIDGES,
    COMMON_ZIPF,
    CONTRASTS,
    EXTRA_SHARE,
    JOINS,
    MANNER_FORMS,
    MAX_TAIL_WORDS,
    MIN_SCORE,
    NO_FORM,
    NO_TOPIC,
    OR_BEFORE,
    PLAIN_NOTS,
    PREPOSITIONS,
    RAREST,
    RESTRICTIONS,
    TOKEN,
    WORD_EFFORT,
)
from notes2anki.cards.word_runs import Word
from notes2anki.cards.word_weights import token_weight
from notes2anki.text import SENTENCE_END, mask


def is_idiom(text: str, run: list[Word], start: int) -> bool:
    """Tell whether a negation only joins ("whether or not", "not only … but also")."""
    word = run[start]
    if start + 1 < len(run) and run[start + 1].key in RESTRICTIONS:
        return True
    # "or cannot access S3" denies; "whether or not" only leaves the question open.
    return (
        word.key in PLAIN_NOTS
        and OR_BEFORE.search(text, max(0, word.start - 8), word.start) is not None
    )


def opens_sentence(masked: str, start: int) -> bool:
    """Tell whether a word starting here opens its sentence."""
    before = masked[:start].rstrip(" *_\0(")
    return not before or before[-1] in ".!?"


def closes_clause_at(masked: str, end: int) -> bool:
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
    first = TOKEN.search(masked, start)
    return first is not None and first.group().lower() in CONTRASTS


def only_joins(text: str) -> bool:
    """Tell whether a text is only words that join others: "to", "or", "and"."""
    tokens = TOKEN.findall(text.lower())
    return bool(tokens) and all(token in BRIDGES for token in tokens)


def stresses(text: str, language: str) -> bool:
    """Tell whether every word of a text is an everyday one of the language ("First", "any")."""
    tokens = TOKEN.findall(text)
    return bool(tokens) and all(
        token_weight(token, language, False)[0] <= RAREST - COMMON_ZIPF for token in tokens
    )


def holds(
    phrase: list[Word], alone: list[float], bonus: float, texts: tuple[str, str], language: str
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


def says_how(word: Word, language: str) -> bool:
    """Tell whether a word is an everyday adverb or participle: "reliably", "deleted"."""
    # Alone, such a word tests how the sentence goes on, not what the fact names; whether it
    # is everyday is the language's matter, not the file's.
    form = MANNER_FORMS.get(language, NO_FORM)
    return word.text.isalpha() and is_plain(word, NO_TOPIC) and bool(form.search(word.key))


def is_plain(word: Word, topic: frozenset[str]) -> bool:
    """Tell whether a word alone says little: an everyday one, or one the whole file is about."""
    if word.marked or word.lead:
        return False
    # A word the lists lack weighs RAREST, one they hold less; a capitalised one is a name.
    return word.key in topic or (word.text.islower() and word.rarity < RAREST)


def _short_tails(phrase: list[Word]) -> bool:
    """Tell whether what follows a preposition in the phrase is short: "by default"."""
    for index, word in enumerate(phrase):
        if word.bridge and word.key in PREPOSITIONS:
            tail = [w for w in phrase[index + 1 :] if not w.bridge]
            if len(tail) > MAX_TAIL_WORDS:
                return False
    return True


def _balanced(phrase: list[Word], language: str, text: str) -> bool:
    """Tell whether an "and"/"or" in the phrase joins alike parts: "ingress and egress"."""
    form = MANNER_FORMS.get(language, NO_FORM)
    joints = [i for i, word in enumerate(phrase) if word.bridge and word.key in JOINS]
    if not joints:
        return True
    if len(joints) > 1:
        return False
    left = [w for w in phrase[: joints[0]] if not w.bridge]
    right = [w for w in phrase[joints[0] + 1 :] if not w.bridge]
    # Alike parts are about as long ("more hardware and additional complexity", "senden und
    # mithören"); a preposition in either makes one a clause of its own ("designed and
    # configured to withstand").
    if abs(len(left) - len(right)) > 1 or any(word.key in PREPOSITIONS for word in phrase):
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
            and closes_clause(text, phrase[-1].end)
        )
    # Alike parts end alike: "files and optionally" joins a noun to how a verb goes on.
    adverbs = ADVERB_FORMS.get(language, NO_FORM)
    if bool(adverbs.fullmatch(left[-1].key)) != bool(adverbs.fullmatch(right[-1].key)):
        return False
    return len(left) == 1 or left[0].key == right[0].key or left[-1].key == right[-1].key
