"""How common each word is in its language, from wordfreq's lists: the rarer, the better a gap."""

from __future__ import annotations

import gzip
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import msgpack

# The languages whose words are weighed; notes in any other language keep the file's own counts.
LANGUAGES = ("en", "de", "es", "fr", "pt", "it", "nl")
# A language is told by how many of its commonest words a text uses.
_MARKER_WORDS = 60
# wordfreq stores a list as buckets of words, one per centibel of frequency, after a header.
_HEADER = {"format": "cB", "version": 1}


@cache
def zipf_table(language: str) -> Mapping[str, float]:
    """Return each lower-case word's Zipf frequency (log10 of uses per billion words)."""
    # The small lists hold every word used at least once per million words; a word not in
    # them is rare.
    table: dict[str, float] = {}
    for index, bucket in enumerate(_buckets(language)):
        for word in bucket:
            table.setdefault(word, 9 - index / 100)
    return table


@cache
def _buckets(language: str) -> tuple[tuple[str, ...], ...]:
    """Read a language's small list, commonest words first, grouped by centibel."""
    # Importing wordfreq itself takes a third of a second (it loads its tokenizers); its
    # data files are read directly, and through its API only if their format ever changes.
    with gzip.open(_path(language), "rb") as stream:
        data: list[Any] = msgpack.load(stream, raw=False)
    if data and data[0] == _HEADER:
        return tuple(tuple(bucket) for bucket in data[1:])
    return _buckets_from_api(language)


def _path(language: str) -> Path:
    spec = find_spec("wordfreq")
    folders = list(spec.submodule_search_locations or ()) if spec else []
    return Path(folders[0] if folders else ".") / "data" / f"small_{language}.msgpack.gz"


def _buckets_from_api(language: str) -> tuple[tuple[str, ...], ...]:
    import wordfreq

    found = wordfreq.get_frequency_dict(language, wordlist="small")
    buckets: dict[int, list[str]] = {}
    for word, share in sorted(found.items(), key=lambda item: -item[1]):
        buckets.setdefault(round(-100 * math.log10(share)), []).append(word)
    return tuple(tuple(buckets.get(index, ())) for index in range(max(buckets, default=-1) + 1))


@cache
def _markers() -> Mapping[str, tuple[str, ...]]:
    """Map each of the languages' commonest words to the languages that use it."""
    users: dict[str, list[str]] = {}
    for language in LANGUAGES:
        for word in _commonest(language):
            users.setdefault(word, []).append(language)
    return {word: tuple(languages) for word, languages in users.items()}


def _commonest(language: str) -> list[str]:
    """Read a language's commonest words: only the head of its list is unpacked."""
    # Telling a language needs its first buckets, not the 30,000 words a whole list holds.
    with gzip.open(_path(language), "rb") as stream:
        unpacker = msgpack.Unpacker(stream, raw=False, read_size=4096)
        size = unpacker.read_array_header()
        if not size or unpacker.unpack() != _HEADER:
            return [word for bucket in _buckets(language) for word in bucket][:_MARKER_WORDS]
        words: list[str] = []
        for _ in range(size - 1):
            words += unpacker.unpack()
            if len(words) >= _MARKER_WORDS:
                break
    return words[:_MARKER_WORDS]


def language_of(words: Iterable[str]) -> str:
    """Name the language whose commonest words these lower-case words use most ("" if none)."""
    markers = _markers()
    votes: Counter[str] = Counter()
    for word in words:
        languages = markers.get(word)
        # "de", "a" and "en" are common in several languages: they tell none apart.
        if languages is not None and len(languages) == 1:
            votes[languages[0]] += 1
    if not votes:
        return ""
    return votes.most_common(1)[0][0]
