"""Find comparisons: "X vs Y" titles, sections led by rival subjects, and tables of subjects."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import lru_cache
from itertools import combinations

from notes2anki.frozen import frozen
from notes2anki.model import Comparison, Fact, Item, Loc, Section, Table, WhichOne
from notes2anki.text import names_rivals, normalize, strip_lead_glyphs, words

# Subjects are names, not sentences.
MAX_SUBJECT_WORDS = 5
# A comparison sets a handful of subjects apart. More terms leading a section's items make a
# glossary, whose terms Basic and Cloze cards ask about one by one; a which-one card would list
# them all as its choices, every card of the section again.
MAX_SUBJECTS = 8
# With "and"/"or" titles (and with none), subjects must lead at least this share of the items.
MIN_LED_SHARE = 0.5
# Without a title, rival subjects describe themselves in parallel: at least this share of subject
# pairs share a content word ("CLB - disabled by default", "NLB - disabled by default").
MIN_PARALLEL_SHARE = 0.5
# A first header cell that names what the rows are about: the other header cells are subjects.
_ATTRIBUTE_LABEL_TEXT = (
    "feature features aspect aspects property properties attribute attributes criteria "
    "criterion characteristic characteristics category comparison parameter dimension "
    "merkmal merkmale eigenschaft eigenschaften kriterium característica características "
    "aspecto criterio 特性 特点 对比项 项目 比较"
)
_ATTRIBUTE_LABELS = frozenset(_ATTRIBUTE_LABEL_TEXT.split())
# "For CLB - ..." is led by CLB; articles stay ("A record" is a name).
_LEADING_FILLER = re.compile(r"^(?:for|with)\s+", re.IGNORECASE)
_STOPWORD_TEXT = (
    "the a an and or of to in on at by for with from is are be can not no it its this that as "
    "into over per all any only also use used using when then than which who will may must "
    "has have had was were there their they you your"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_WORDS = re.compile(r"[^\W_]")
_NUMBERED = re.compile(r"\d[\d./-]*")


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


def find_comparisons(
    section: Section, facts: tuple[Fact, ...], compare_words: CompareWords
) -> tuple[tuple[Fact, ...], tuple[Comparison, ...]]:
    """Find the section's comparisons; return its facts marked with their subject, and them."""
    found: list[Comparison] = []
    marked = facts
    titled = title_subjects(section.title, compare_words)
    subjects = titled[0] if titled else _rival_subjects(facts, section.path)
    if subjects:
        tokens = {subject: _tokens(subject) for subject in subjects}
        marked = tuple(_mark(fact, tokens) for fact in facts)
        comparison = _list_comparison(section, marked, subjects, titled)
        if comparison is None:
            marked = facts
        else:
            found.append(comparison)
    siblings = _sibling_comparison(section, compare_words)
    if siblings is not None:
        found.append(siblings)
    for table in section.tables:
        table_comparison = _table_comparison(section, table, titled[0] if titled else ())
        if table_comparison is not None:
            found.append(table_comparison)
    return marked, tuple(found)


def _sibling_comparison(section: Section, compare_words: CompareWords) -> Comparison | None:
    """Compare a section's subsections when they are rivals: "Standard Queue", "FIFO Queue"."""
    children = [child for child in section.children if child.items or child.tables]
    rivals = _rivals(children, section.title, compare_words)
    # Beside the rivals may stand a subsection of sources or exercises, not a crowd of others.
    if len(rivals) < 2 or 2 * len(rivals) < len(section.children):
        return None
    subjects = tuple(child.title for child in rivals)
    # Each subsection's facts make their own cards, under their subject's name: the Compare
    # note sets them side by side, and no which-one card asks each of them again.
    rows = tuple((child.title, tuple(_item_text(item) for item in child.items)) for child in rivals)
    return Comparison(" vs ".join(subjects), subjects, section.loc, rows)


def _rivals(children: list[Section], parent: str, compare_words: CompareWords) -> list[Section]:
    """Find the subsections that are rivals: named by their parent, or one word apart."""
    named = title_subjects(parent, compare_words)
    if named is not None:
        wanted = {normalize(subject) for subject in named[0]}
        found = [child for child in children if normalize(child.title) in wanted]
        if len(found) == len(wanted):
            return found
    # "Weak consistency", "Eventual consistency", "Strong consistency": the same kind of thing,
    # told apart by one word in the same place (not a number: "Step 1", "Step 2" are steps).
    # "S3 Versioning", "S3 Encryption" under "S3" are aspects of their parent's subject, not
    # rivals: the word they share is the parent's, and their last words differ.
    topic = set(normalize(parent).split())
    groups: dict[tuple[int, int, tuple[str, ...]], list[Section]] = {}
    for child in children:
        tokens = normalize(child.title).split()
        if not 2 <= len(tokens) <= MAX_SUBJECT_WORDS or tokens[-1] in _STOPWORDS:
            continue  # "Each vertex consists of" leads a list; it names no rival
        for place, word in enumerate(tokens):
            rest = (*tokens[:place], *tokens[place + 1 :])
            aspect = place == len(tokens) - 1 and set(rest) <= topic
            if len(word) > 1 and not any(map(str.isdigit, word)) and not aspect:
                groups.setdefault((len(tokens), place, rest), []).append(child)
    best = max(groups.values(), key=len, default=[])
    return best if 2 <= len(best) <= MAX_SUBJECTS else []


def _item_text(item: Item) -> str:
    return item.text.removeprefix(f"{item.term}: ") if item.term else item.text


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
    named = {_subject_name(subject) for subject in subjects} - {""}
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


def _mark(fact: Fact, subjects: dict[str, tuple[str, ...]]) -> Fact:
    """Give a fact its subject when one subject leads it and no other is named in it."""
    if fact.explicit is not None or fact.question or fact.reference:
        return fact
    if fact.term is None and names_rivals(fact.text):
        return fact  # "**Hyperparameters vs. Parameters**" titles the rivals, of neither alone
    # Subjects match loosely: case, plurals and a leading "For" are ignored.
    lead = _tokens(_LEADING_FILLER.sub("", fact.term if fact.term is not None else fact.text))
    led_by = [name for name, wanted in subjects.items() if wanted and lead[: len(wanted)] == wanted]
    if len(led_by) != 1:
        return fact
    # Tokens hold no spaces: a run of tokens is in the text when its spaced words are.
    spaced = f" {' '.join(_tokens(fact.text))} "
    others = [
        name
        for name, wanted in subjects.items()
        if name != led_by[0] and wanted and f" {' '.join(wanted)} " in spaced
    ]
    return fact if others else replace(fact, subject=led_by[0])


def _list_comparison(
    section: Section,
    facts: tuple[Fact, ...],
    subjects: tuple[str, ...],
    titled: tuple[tuple[str, ...], str] | None,
) -> Comparison | None:
    led = [fact for fact in facts if fact.subject is not None]
    if not led:
        return None
    # "X vs Y" is a comparison whenever a subject leads a fact; "X and Y" (or no title) only
    # when both sides are described and they lead most of the section.
    if titled is None or titled[1] != "versus":
        described = {fact.subject for fact in led}
        if len(described) < 2 or len(led) < MIN_LED_SHARE * len(facts):
            return None
    mask = masker(subjects)
    told = [
        (fact.subject or "", text, loc, term)
        for fact in led
        for text, loc, term in _told(fact, mask)
    ]
    rows = tuple(
        (subject, tuple(text for said, text, _, _ in told if said == subject))
        for subject in subjects
    )
    # "Leverages CloudFormation" told of both subjects has no one answer: no which-one card.
    shown = [mask(text) for _, text, _, _ in told]
    # Compared once each, these are not cached: they would push out the names that are.
    said = [tuple(_stem(token) for token in normalize(text).split()) for text in shown]
    owners: dict[tuple[str, ...], set[str]] = {}
    for (subject, _, _, _), key in zip(told, said, strict=True):
        owners.setdefault(key, set()).add(subject)
    # Under "Classic ports:", "22: SSH …" is an entry named by its number, a glossary of its
    # own: the number tells it, not a trait of the subject.
    which = tuple(
        WhichOne(text, subject, loc)
        for (subject, _, loc, term), text, key in zip(told, shown, said, strict=True)
        if len(owners[key]) == 1 and not _NUMBERED.fullmatch(term)
    )
    title = section.title if titled else " vs ".join(subjects)
    return Comparison(title, subjects, section.loc, rows, None, which, tuple(f.loc for f in led))


def is_lookup(table: Table) -> bool:
    """Tell whether a table looks values up by key ("| Duration | Acceptable downtime |")."""
    # Two columns under two labels, the first of short keys: each row is a term and its
    # value, a glossary entry. Long first cells are statements set against the second's.
    return _two_columns(table) and all(
        row and 0 < words(row[0]) <= MAX_SUBJECT_WORDS for row in table.rows
    )


def _sides(table: Table, names: list[str]) -> bool:
    """Tell whether a two-column table sets statements of two named subjects side by side."""
    return (
        _two_columns(table)
        and all(0 < words(name) <= MAX_SUBJECT_WORDS for name in names)
        and any(row and words(row[0]) > MAX_SUBJECT_WORDS for row in table.rows)
    )


def _two_columns(table: Table) -> bool:
    """Tell whether a table has rows under two columns, the first headed by a name."""
    first = _subject_name(table.header[0]) if len(table.header) == 2 else ""
    return bool(first and table.rows) and normalize(first) not in _ATTRIBUTE_LABELS


def _table_comparison(
    section: Section, table: Table, title_subjects: tuple[str, ...]
) -> Comparison | None:
    if len(table.header) < 2 or not table.rows or is_lookup(table):
        return None
    names = [_subject_name(cell) for cell in table.header]
    if _sides(table, names):
        # "| NACL | Security Group |" over rows of statements: each row sets one side against
        # the other, and its card asks for one given the other.
        first, second = names
        contrasts = tuple(
            WhichOne(f"{second}: {row[1]} \u2014 {first}?", row[0], table.row_loc(index), True)
            for index, row in enumerate(table.rows)
            if len(row) > 1 and row[0].strip() and row[1].strip()
        )
        title = section.title if title_subjects else f"{first} vs {second}"
        return Comparison(title, (first, second), table.loc, (), table, contrasts, table.row_locs)
    wanted = {normalize(subject) for subject in title_subjects}
    header_names_subjects = (
        not names[0]
        or normalize(names[0]) in _ATTRIBUTE_LABELS
        or len(wanted & {normalize(name) for name in names[1:]}) >= 2
    )
    if header_names_subjects:
        subjects = tuple(name for name in names[1:] if name)
    else:
        subjects = tuple(_subject_name(row[0]) for row in table.rows if row and row[0].strip())
    if len(subjects) < 2:
        return None
    title = section.title if title_subjects else " vs ".join(subjects)
    # A larger table is a reference, shown whole in its Compare note: no which-one cards.
    which = (
        _which_cells(table, names if header_names_subjects else None)
        if len(subjects) <= MAX_SUBJECTS
        else []
    )
    mask = masker(subjects)
    masked = tuple(replace(one, shown=mask(one.shown)) for one in which)
    # The Compare note shows every row: each is on a card.
    return Comparison(title, subjects, table.loc, (), table, masked, table.row_locs)


def _subject_name(cell: str) -> str:
    """Return a header or first-column cell as a subject's name: no marks, no bold."""
    return strip_lead_glyphs(cell.strip()).strip("*_ ").strip()


def _which_cells(table: Table, names: list[str] | None) -> list[WhichOne]:
    """Find the cells that tell a table's subjects apart, by row or by column of subjects."""
    # Names: the header's cells as subjects, when the header names them. Each card stands
    # where its cell's row does.
    which: list[WhichOne] = []
    if names is not None:
        for index, row in enumerate(table.rows):
            values = dict(zip(names[1:], row[1:], strict=False))
            places = dict.fromkeys(values, table.row_loc(index))
            which += _unique_values(row[0], values, places)
    else:
        places = {
            _subject_name(row[0]): table.row_loc(index)
            for index, row in enumerate(table.rows)
            if row
        }
        for column, attribute in enumerate(table.header[1:], start=1):
            values = {_subject_name(row[0]): row[column] for row in table.rows if len(row) > column}
            which += _unique_values(attribute, values, places)
    return which


def _unique_values(
    attribute: str, values: dict[str, str], places: dict[str, Loc]
) -> list[WhichOne]:
    """Keep the cells whose value no other subject shares: those tell the subjects apart."""
    seen = [normalize(value) for value in values.values()]
    return [
        WhichOne(f"{attribute}: {value}" if attribute.strip() else value, subject, places[subject])
        for subject, value in values.items()
        if subject.strip() and normalize(value) and seen.count(normalize(value)) == 1
    ]


def _rival_subjects(facts: tuple[Fact, ...], path: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Find subjects that lead most items and describe themselves in parallel, if any."""
    led: dict[str, list[str]] = {}  # each short term's definitions
    for fact in facts:
        # "Overfitting vs. Underfitting" sets two things side by side: it is no one subject.
        if (
            fact.is_pair
            and fact.term
            and fact.definition
            and words(fact.term) <= 3
            and not names_rivals(fact.term)
        ):
            led.setdefault(_LEADING_FILLER.sub("", fact.term), []).append(fact.definition)
    if not 2 <= len(led) <= MAX_SUBJECTS:
        return ()
    definitions = {
        name: {word for text in texts for word in _content_words(text)}
        for name, texts in led.items()
    }
    # What the notes are about ("Docker" in notes on Docker) describes nothing in parallel.
    names_words = {token for name in (*definitions, *path) for token in _tokens(name)}
    described = {name: found - names_words for name, found in definitions.items()}
    pairs = list(combinations(described, 2))
    parallel = [(a, b) for a, b in pairs if described[a] & described[b]]
    if len(parallel) < MIN_PARALLEL_SHARE * len(pairs):
        return ()
    # A subject that shares nothing with the others is a neighbour, not a rival.
    rivals = {name for pair in parallel for name in pair}
    return tuple(name for name in described if name in rivals)


def _shown(fact: Fact) -> str:
    return fact.definition if fact.is_pair and fact.definition else fact.text


def _told(fact: Fact, mask: Callable[[str], str]) -> tuple[tuple[str, Loc, str], ...]:
    """Return what a fact tells of its subject: each text, where it stands, and its term."""
    # "- Cold start" over a list of what happens in one: its name alone says nothing of it, the
    # items under it do. A lead that says more ("IMDSv2 is done in two steps:") is the fact.
    # An item under the name says what it is of it: "Max duration: up to one year", whole.
    if fact.is_lead and not _WORDS.search(mask(_shown(fact)).replace("[…]", "")):
        return tuple(
            (child.text, child.loc, normalize(child.term) if child.is_pair and child.term else "")
            for child in fact.children
            if child.text.strip()
        )
    return ((_shown(fact), fact.loc, ""),)


def _joiner_pattern(joiner: str) -> str:
    escaped = re.escape(joiner)
    # CJK joiners stand between subjects without spaces ("EBS与EFS"); others need them.
    if any(unicodedata.east_asian_width(char) in "WF" for char in joiner):
        return rf"\s*{escaped}\s*"
    return rf"\s+{escaped}\s+"


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_stem(token) for token in normalize(text).split())


@lru_cache(maxsize=8192)
def _stem(token: str) -> str:
    # "SGs" leads like "SG", "charges" shares with "charged": a crude stem is enough here.
    for ending in ("es", "ed", "s", "e"):
        if len(token) > len(ending) + 1 and token.endswith(ending):
            return token[: -len(ending)]
    return token


def _content_words(text: str) -> set[str]:
    return {
        _stem(token)
        for token in normalize(text).split()
        if len(token) > 2 and token not in _STOPWORDS
    }
