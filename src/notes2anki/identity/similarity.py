"""Tell how alike two texts are: the characters they share in order, over all they hold."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

# A fixed typo scores above 0.9, a reworded answer about 0.7; two different facts of one section
# ("CNAME - hostname to hostname", "Alias - hostname to AWS resource") score below 0.6.
SIMILAR_ENOUGH = 0.65


def similarity(first: str, second: str) -> float:
    """Score how alike two texts are, from 0 to 1; 0 below the bar."""
    # Twice their longest common subsequence over their lengths (rapidfuzz's Indel ratio):
    # difflib's ratio at most, which it equals on the edits notes see. Replayed on the shared
    # histories it lost and moved no more identities than difflib, and compares a pair of
    # texts 14 to 170 times faster; below the bar it stops early.
    if not first or not second:
        return 0.0
    return _indel_ratio()(first, second, score_cutoff=SIMILAR_ENOUGH)


@cache
def _indel_ratio() -> Callable[..., float]:
    """Return rapidfuzz's Indel ratio, imported when a build first compares two texts."""
    # Importing rapidfuzz takes some 20 ms, and a build from nothing, or one that finds every
    # note where it was, compares no texts.
    from rapidfuzz.distance import Indel

    return Indel.normalized_similarity
