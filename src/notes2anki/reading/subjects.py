"""Name the subjects a title or list sets against each other, as in EBS vs EFS."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

from notes2anki.frozen import frozen
from notes2anki.text import strip_lead_glyphs, words

# Subjects are names, not sentences.
MAX_SUBJECT_WORDS = 5


# A comparison sets a handful of subjects apart. More terms leading a section's items make a
# glossary, whose terms Basic and Cloze cards ask about one by one; a which-one card would list
# them all as its choices, every card of the section again.
MAX_SUBJECTS = 8


# A first header cell that names what the rows are about: the other header cells are subjects.
_ATTRIBUTE_LABEL_TEXT = (
    "feature features aspect aspects property properties attribute attributes criteria "
    "criterion characteristic characteristics category comparison parameter dimension "
    "merkmal merkmale eigenschaft eigenschaften kriterium característica características "
    "aspecto criterio 特性 特点 对比项 项目 比较"
)


ATTRIBUTE_LABELS = frozenset(_ATTRIBUTE_LABEL_TEXT.split())


@frozen
class CompareWords:
    """The words that join subjects in a title, per role, in any language the notes use."""

    versus: tuple[str, ...] = (
        "vs", "vs.", "v", "v.", "versus", "gegen", "im Vergleich zu", "frente a", "contra",
        "对比", "对阵",
    )  # fmt: skip
    alternatives: tuple[str, ...] = ("or", "oder", "o", "ou", "或", "还是")
    conjunctions: tuple[str, ...] = ("and", "und", "y", "e", "et", "与", "和", "跟")
    difference: tuple[str, ...] = (
        "difference between", "differences between", "Unterschied zwischen",
        "Unterschiede zwischen", "diferencia entre", "diferencias entre", "的区别", "的區別",
        "区别", "區別",
    )  # fmt: skip


DEFAULT_WORDS = CompareWords()


# A section's title is read for itself and again as its subsections' parent.
@lru_cache(maxsize=1024)
def title_subjects(title: str, compare_words: CompareWords) -> tuple[tuple[str, ...], str] | None:
    """Split a title such as "EBS v EFS" into its subjects and the role of the joining word."""
    patterns = _title_patterns(compare_words)
    # "EC2 Storage - EBS and EFS": the subjects follow the label.
    candidates = [title.split(label, 1)[1] for label in (" - ", ": ") if label in title] + [title]
    for candidate in candidates:
        text = candidate.strip()
        if patterns.any_difference is not None and patterns.any_difference.search(text):
            for difference in patterns.difference:
                text = difference.sub("", text)
        for role, joined, split in patterns.roles:
            if joined.search(text) is None:
                continue
            parts = [part.strip() for part in split.split(text)]
            if 2 <= len(parts) <= MAX_SUBJECTS and all(
                0 < words(part) <= MAX_SUBJECT_WORDS for part in parts
            ):
                return tuple(parts), role
    return None


@frozen
class _TitlePatterns:
    """The compiled patterns that read a title: what to strip, and each role's joiners."""

    difference: tuple[re.Pattern[str], ...]
    roles: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...]  # role, joined, split
    # Any of the difference phrases, anywhere: most titles hold none, and are not cut.
    any_difference: re.Pattern[str] | None


@lru_cache(maxsize=16)
def _title_patterns(compare_words: CompareWords) -> _TitlePatterns:
    """Compile the patterns of a deck's compare words once, not for every title."""
    roles = []
    for role, joiners in (
        ("versus", compare_words.versus),
        ("alternatives", compare_words.alternatives),
        ("conjunctions", compare_words.conjunctions),
    ):
        if not joiners:
            continue
        joined = "|".join(f"(?:{_joiner_pattern(joiner)})" for joiner in joiners)
        longest_first = [
            _joiner_pattern(joiner) for joiner in sorted(joiners, key=len, reverse=True)
        ]
        if role != "versus":
            # "A, B or C" lists its subjects, and so does "A, B, and C".
            words_of_role = "|".join(re.escape(joiner) for joiner in joiners)
            longest_first.append(rf"\s*,\s*(?:(?:{words_of_role})\s+)?")
        split = "|".join(f"(?:{alternative})" for alternative in longest_first)
        roles.append((role, re.compile(joined, re.IGNORECASE), re.compile(split, re.IGNORECASE)))
    difference = tuple(
        re.compile(rf"^{re.escape(phrase)}\s*|\s*{re.escape(phrase)}$", re.IGNORECASE)
        for phrase in compare_words.difference
    )
    phrases = "|".join(re.escape(phrase) for phrase in compare_words.difference)
    found = re.compile(phrases, re.IGNORECASE) if phrases else None
    return _TitlePatterns(difference, tuple(roles), found)


def masker(subjects: Iterable[str]) -> Callable[[str], str]:
    """Make a function that hides every mention of the subjects, so a card gives nothing away."""
    # A subject set in italics or bold ("_Shared_") is named plainly elsewhere.
    named = {subject_name(subject) for subject in subjects} - {""}
    # "Cold Starts" is named "Cold start" in its own item: each name is looked for without
    # its plural ending too, which the pattern allows back.
    names = sorted(named | {_singular(name) for name in named}, key=len, reverse=True)
    if not names:
        return lambda text: text
    # Most texts name no subject, and compiling the pattern costs more than searching all of
    # a section's texts: an ASCII text that holds no name (in any case, its words spaced
    # singly) is returned as it is; the pattern is compiled only for a text that may name one.
    spaced = {" ".join(name.lower().split()) for name in names}
    ascii_names = all(name.isascii() and name.split() for name in names)
    pattern: re.Pattern[str] | None = None

    def mask(text: str) -> str:
        nonlocal pattern
        if ascii_names and text.isascii():
            spaced_text = " ".join(text.lower().split())
            if not any(name in spaced_text for name in spaced):
                return text
        if pattern is None:
            alternatives = "|".join(
                r"\s+".join(re.escape(part) for part in name.split()) for name in names
            )
            pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?:e?s)?(?!\w)", re.IGNORECASE)
        return pattern.sub("[…]", text)

    return mask


def _singular(name: str) -> str:
    """Return a name without the plural ending of its last word: "Cold Starts" → "Cold Start"."""
    last = name.rsplit(maxsplit=1)[-1]
    if len(last) > 3 and last.endswith("s") and not last.endswith("ss") and last[-2].isalpha():
        return name[:-1]
    return name


def subject_name(cell: str) -> str:
    """Return a header or first-column cell as a subject's name: no marks, no bold."""
    return strip_lead_glyphs(cell.strip()).strip("*_ ").strip()


def _joiner_pattern(joiner: str) -> str:
    escaped = re.escape(joiner)
    # CJK joiners stand between subjects without spaces ("EBS与EFS"); others need them.
    if any(unicodedata.east_asian_width(char) in "WF" for char in joiner):
        return rf"\s*{escaped}\s*"
    return rf"\s+{escaped}\s+"
