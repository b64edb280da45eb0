"""Tell where a text's words stand: in which sentence, and in it a condition or a purpose."""

from __future__ import annotations

from itertools import pairwise

from notes2anki.cards.phrase_words import (
    CONTRASTS,
    LATER_SENTENCE,
    PURPOSE,
    SCENES,
    STOP,
)
from notes2anki.text import SENTENCE_END


class Places:
    """Where the words of a text stand: their sentence, and in it a condition or a purpose."""

    def __init__(self, masked: str) -> None:
        self.masked = masked
        # Most lines are one sentence, its stop at the end: they are not searched for more.
        sentences = [0]
        if STOP.search(masked, 0, len(masked) - 1):
            sentences += [match.end() for match in SENTENCE_END.finditer(masked)]
        self.ends = iter(sentences[1:])
        self.next_end = next(self.ends, len(masked) + 1)
        self.sentence = 0
        self.condition_end = -1  # where the clause of a condition ("If you have ..., ") ends
        self.purpose_end = -1  # where a clause of purpose ("so that ...", "which ...") ends
        self.later = 1.0  # what a sentence after the first weighs
        self.opening = True  # no word of the sentence but a "However," came yet
        self.fresh = True  # the next word opens a sentence
        self.keys: list[str] = []  # each word's folded form, counted after
        self.firsts = [(0, 0)]  # each sentence, and how many words came before it

    def sentence_at(self, start: int) -> bool:
        """Move on to the sentence a word starting here is in; tell whether it is a new one."""
        if start < self.next_end:
            return False
        while start >= self.next_end:
            self.sentence += 1
            self.next_end = next(self.ends, len(self.masked) + 1)
        self.fresh = True
        self.firsts.append((self.sentence, len(self.keys)))
        return True

    def scene(self, token: str, key: str, span: tuple[int, int], purposive: bool) -> None:
        """Note where a sentence's opening scene or a clause of purpose ends, from this word."""
        start, end = span
        masked = self.masked
        if self.fresh:
            self.fresh = False
            # "However, ..." after a first sentence says what the item is there for.
            self.later = 1.0 if not self.sentence or key in CONTRASTS else LATER_SENTENCE
            self.opening = True
        if self.opening:
            # What opens a sentence before its comma ("If ...,", "By default,", "In an ideal
            # architecture,") sets the scene, after a "However," too.
            lower = token.lower()
            comma = masked.find(",", start, self.next_end)
            self.condition_end = comma if comma > 0 and lower in SCENES else -1
            self.opening = lower in CONTRASTS and masked.startswith(",", end)
        elif purposive and start > self.purpose_end and PURPOSE.match(masked, start):
            comma = masked.find(",", start, self.next_end)
            self.purpose_end = comma if comma > 0 else self.next_end

    def lengths(self) -> dict[int, int]:
        """Return each sentence's count of words: from where it starts to where the next does."""
        firsts = [*self.firsts, (self.sentence + 1, len(self.keys))]
        return {
            at: after - before for (at, before), (_, after) in pairwise(firsts) if after > before
        }
