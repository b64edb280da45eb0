"""Tell how alike two texts are: the share of the longer one that both hold, in order."""

from __future__ import annotations

from difflib import SequenceMatcher

# A fixed typo scores above 0.9, a reworded answer about 0.7; two different facts of one section
# ("CNAME - hostname to hostname", "Alias - hostname to AWS resource") score below 0.6.
SIMILAR_ENOUGH = 0.65


class Text:
    """A text that edited texts are compared with, and where each of its characters stands."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Bit i of a character's mask says that the text's character i is that character.
        self.masks: dict[str, int] = {}
        for position, character in enumerate(text):
            self.masks[character] = self.masks.get(character, 0) | 1 << position


def similarity(first: str, second: Text) -> float:
    """Score how alike two texts are, from 0 to 1, as difflib's ratio does; 0 below the bar."""
    total = len(first) + len(second.text)
    if not first or not second.text:
        return 0.0
    # Two cheaper scores that the ratio never exceeds come first: by the texts' lengths, and by
    # their longest common subsequence (the ratio's matching blocks are one). Texts that share
    # only their words' letters, most pairs in a large section, stop there. Each is reckoned as
    # difflib reckons its ratio, so that none differs from it at the bar.
    shorter = min(len(first), len(second.text))
    if 2.0 * shorter / total < SIMILAR_ENOUGH:
        return 0.0
    if 2.0 * _common_length(first, second) / total < SIMILAR_ENOUGH:
        return 0.0
    # Texts are capped (identity.TEXT_CHARS), so comparing every character stays cheap.
    ratio = SequenceMatcher(None, first, second.text, autojunk=False).ratio()
    return ratio if ratio >= SIMILAR_ENOUGH else 0.0


def _common_length(first: str, second: Text) -> int:
    """Return the length of the longest common subsequence of two texts."""
    # Bit-parallel (Allison and Dix; Hyyrö): one step per character of the first text, each a
    # few operations on an integer with a bit per character of the second.
    every = (1 << len(second.text)) - 1
    row = every
    masks = second.masks
    for character in first:
        matched = row & masks.get(character, 0)
        row = ((row + matched) | (row - matched)) & every
    return len(second.text) - row.bit_count()
