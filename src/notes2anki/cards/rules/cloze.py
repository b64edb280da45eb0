"""Cloze cards: the fact as written, with its key part hidden."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise

from notes2anki.cards.keyphrases import (
    KeyPhrase,
    complement,
    in_point,
    key_phrase,
    predicate,
    stresses,
)
from notes2anki.cards.rules.base import (
    MAX_LINE_WORDS,
    RuleContext,
    Vocabulary,
    answer_is_value,
    asks_for_list,
    is_long,
    is_terse,
    subject_words,
)
from notes2anki.model import Fact, Kind, SectionFacts
from notes2anki.pairs import is_term, is_value, names_rivals, split_pair, without_aside
from notes2anki.reading.extract import is_note_label
from notes2anki.reading.questions import asks, asks_bare
from notes2anki.records import CardSpec, Segment
from notes2anki.spans import (
    Span,
    bounded,
    counts,
    emphasised,
    explicit_gaps,
    figures,
    keywords,
    quoted,
)
from notes2anki.text import MIN_FACT_WORDS, is_field_label, normalize, words

# A term that is only a code or a number: "00", "0x1F", "404".
_CODE_NUMBER = re.compile(r"(?:0x)?[0-9A-Fa-f]*\d[0-9A-Fa-f]*")
# What stands between the entries of a list written in a line: "a, b and c", "a / b", and an
# aside on an entry: "a (Multi-AZ), and b".
_JOINERS = r"(?:and|or|und|oder|y|o|e|et|ou)"
_LIST_SEPARATOR = re.compile(rf"\s*(?:\([^()]*\))?[\s,;/]*(?:{_JOINERS}\s+)?", re.IGNORECASE)
# A word a card shows outside its gaps; more characters than this outside them hold one.
_SHOWS_WORD = re.compile(r"[^\W_]")
_FEW_MARKS = 8
# An option its notes mark as the default: "Standard Queue (default)", "Modo A (por defecto)".
_DEFAULT_MARK = re.compile(
    r"(?P<name>[^()]*[^\s()])\s*\((?:the\s+)?(?:default|by default|standard|"
    r"voreingestellt|por defecto|predeterminad[oa]|par d[ée]faut)\)[.!]?",
    re.IGNORECASE,
)
# A left side ending in a verb that needs its right side: "… are:", "… include:", "… sind:".
_RUNS_ON = re.compile(
    r"\b(?:is|are|was|were|include|includes|ist|sind|umfasst|es|son|incluye|est|sont)\W*$",
    re.IGNORECASE,
)
# A left side with a verb of its own is a clause, no name to recall: "Resource type identifiers
# are of the form", "Lambda can be triggered by".
_CLAUSE_VERB = re.compile(
    r"\b(?:is|are|was|were|can|cannot|could|will|would|must|should|may|might|has|have|does"
    r"|ist|sind|wird|werden|kann|können|muss|müssen|son|está|están|puede|pueden|sont|peut)\b"
)
# A gap word this long that the card shows inside a longer word gives itself away.
MIN_PART_CHARS = 6
# A left side opening with a preposition of time names a moment, not a thing: "Before CRI".
_SCENE_TERM = re.compile(
    r"(?:before|after|during|until|since|vor|nach|während|seit|antes\s+de|después\s+de|durante"
    r"|desde|avant|après|pendant|depuis)\b",
    re.IGNORECASE,
)
# An entry of a list written in a line, and the asides that may follow it.
_ENTRY_SEPARATOR = re.compile(rf"\s*,\s*(?:{_JOINERS}\s+)?|\s+{_JOINERS}\s+")
_ASIDE = re.compile(r"\([^()]*\)")
_EXAMPLE_LABELS = frozenset(("example", "beispiel", "ejemplo", "exemple"))
# "**Note:** …", "Teorema: …": the label before a remark, which opens no sentence of it.
_LABEL = re.compile(r"\s*(?:\*\*|__)?([^\W\d_][^\W\d_ ]*)\s*[:\uff1a](?:\*\*|__)?\s")
MAX_ENTRY_WORDS = 2
MIN_ENTRIES = 3
# Entries of one list opening with the same word, at least this many and most of them.
MIN_PATTERNED = 3
# How keywords() ranks a capitalised word inside a sentence, a name.
_NAME_RANK = 2
# More gaps than this in one line make cards that test the layout, not the facts.
MAX_GAPS = 3
# A bold run of more words than this, most of them in lower case, stresses a statement: it is
# no phrase to recall ("**crictl is the tool you'll use on exam nodes**").
MAX_MARKED_WORDS = 5

# Where this rule runs among the others, lowest first (basic, cloze, compare, quiz).
ORDER = 20


def cards(found: SectionFacts, context: RuleContext) -> Iterator[CardSpec]:
    """Make one Cloze note per fact that has a key part to hide."""
    seen: set[tuple[tuple[str, ...], str]] = set()
    labels = _labels(found.facts)
    patterned = _patterned(found.facts)
    for fact in _askable(found.facts, context):
        if fact.explicit is Kind.CLOZE:
            segments = written_segments(fact.text)
        else:
            chosen = [gap for gap in gaps_of(fact, context, labels) if _hideable(fact.text, gap)]
            gaps = _unshown(fact.text, chosen[:MAX_GAPS])
            if context.language:
                # A grammar word alone ("not", "one", "the") asks nothing of the fact.
                gaps = [gap for gap in gaps if not _grammar(fact.text, gap, context.language)]
            if "?" in fact.text or "\uff1f" in fact.text or asks_bare(fact.text):
                # A question states nothing: a word of it is no answer to recall.
                gaps = [gap for gap in gaps if not asks(fact.text, gap.end)]
            if id(fact) in patterned:
                # "No email or message abuse" among "No network abuse", "No security
                # violations": the word every entry opens with is the list's pattern, no key.
                gaps = [gap for gap in gaps if fact.text[: gap.start].strip(" *_")]
            if not gaps or _hides_all(fact.text, gaps) or _listed(fact):
                continue
            segments = segments_of(fact.text, gaps)
        # A cloze asks with what it shows, so its identity is the shown text: a changed answer
        # (a figure, a term) keeps the note.
        key = (fact.context, normalize("".join("_" if s.hidden else s.markdown for s in segments)))
        if key in seen:
            continue
        seen.add(key)
        yield CardSpec(
            kind=Kind.CLOZE,
            prompt=key[1],
            loc=fact.loc,
            section=found.section,
            context=fact.context,
            segments=segments,
            extra=tuple(child.text for child in fact.children),
            ordered=fact.ordered,
            attachments=fact.attachments,
            covers=(fact.loc,),
        )


def _askable(facts: tuple[Fact, ...], context: RuleContext) -> Iterator[Fact]:
    """Yield facts worth a cloze: not leads, nor facts another enabled rule asks better."""
    for fact in facts:
        is_lead = fact.is_lead
        taken = (
            fact.reference
            or fact.explicit is Kind.BASIC
            or (fact.question and "quiz" in context.enabled)
            or (fact.subject is not None and "compare" in context.enabled)
        )
        if fact.explicit is Kind.CLOZE or not (is_lead or taken):
            yield fact
        listed = is_lead and asks_for_list(fact)
        for child in fact.children:
            # The plain entries under a lead are asked by the lead's Basic card.
            if not listed or child.is_pair or child.children or child.explicit:
                yield from _askable((child,), context)


def written_segments(text: str) -> tuple[Segment, ...]:
    """Cut text at the gaps its author wrote, keeping their numbers and hints."""
    segments: list[Segment] = []
    position = 0
    for span, number, hidden in explicit_gaps(text):
        if span.start > position:
            segments.append(Segment(text[position : span.start]))
        segments.append(Segment(hidden, hidden=number))
        position = span.end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return tuple(segments)


def _patterned(facts: tuple[Fact, ...]) -> frozenset[int]:
    """Find the entries that open with the word most of their list's entries open with."""
    found: set[int] = set()
    pending = [facts]
    while pending:
        entries = [fact for fact in pending.pop() if not fact.is_pair]
        pending.extend(fact.children for fact in entries if fact.children)
        if len(entries) < MIN_PATTERNED:
            continue
        openings = [fact.text.lstrip(" *_").split(" ", 1)[0].casefold() for fact in entries]
        common, count = Counter(openings).most_common(1)[0]
        if count >= MIN_PATTERNED and 2 * count > len(entries):
            found.update(
                id(fact) for fact, word in zip(entries, openings, strict=True) if word == common
            )
    return frozenset(found)


def _labels(facts: tuple[Fact, ...]) -> frozenset[str]:
    """Find the terms that pairs under different compared subjects use: "Max duration"."""
    # "Max duration: …" under "Standard" and again under "Express" names a field of each, not
    # a thing; "Environment Variables - …" in two lists of sources is a name either way.
    subjects: dict[str, set[str]] = {}
    for fact in facts:
        for child in fact.children if fact.subject is not None else ():
            if child.is_pair and child.term is not None:
                subjects.setdefault(normalize(child.term), set()).add(fact.subject or "")
    return frozenset(term for term, under in subjects.items() if len(under) > 1)


def gaps_of(fact: Fact, context: RuleContext, labels: frozenset[str] = frozenset()) -> list[Span]:
    """Choose what to hide: the value or term of a pair, else marked words, figures, a key word."""
    text = fact.text
    if fact.is_pair and fact.term is not None and fact.definition is not None:
        if answer_is_value(fact):
            start = text.rindex(fact.definition)
            found = [Span(start + s.start, start + s.end) for s in figures(fact.definition)]
            return found or [Span(start, start + len(fact.definition.rstrip(". ")))]
        if (
            fact.term == fact.section.title
            or _shows(fact.definition, fact.term)
            or _shows(fact.term, fact.definition)
            or is_field_label(fact.term)
            or normalize(fact.term) in labels
            or asks(fact.definition)
            or _RUNS_ON.search(fact.term) is not None
            or _CLAUSE_VERB.search(fact.term) is not None
            or _SCENE_TERM.match(fact.term) is not None
            or names_rivals(fact.term)
        ):
            # A heading over its paragraph is asked by its Basic card; a term its own
            # definition names again would be hidden in vain; beside a question ("Ask
            # yourself: …?") the term is no answer; and a left side that runs on into its
            # right ("Frameworks with analytics in mind are: …") is no name to recall; nor is
            # a label that each compared subject fills in ("Max duration: …"), nor two rivals
            # named side by side ("**Overfitting vs. Underfitting:** …").
            return []
        if _CODE_NUMBER.fullmatch(fact.term.strip("*_` ")):
            # "00: Management": a code names the thing, and the thing is what is recalled.
            start = text.rindex(fact.definition)
            return [Span(start, start + len(fact.definition.rstrip(". ")))]
        # "**Expedite** (white): ...": the term's aside stays in sight, a hint to the name.
        term = fact.term if fact.term in text else without_aside(fact.term)
        start = text.index(term)
        end = start + len(term)
        if text[start - 2 : start] == "**" and text[end : end + 2] == "**":
            start, end = start - 2, end + 2
        return [Span(start, end)]
    default = _DEFAULT_MARK.fullmatch(text) if text.endswith((")", ").", ")!")) else None
    if default and is_term(default.group("name")):
        # "Standard Queue (default)": which of its section's options is the default.
        return [Span(default.start("name"), default.end("name"))]
    if words(text) < MIN_FACT_WORDS:
        return []
    # What the author set in bold is the key, unless the breadcrumb shows it already.
    shown = frozenset(subject_words(fact))
    marked = [
        span
        for span in emphasised(text)
        if not set(normalize(text[span.start : span.end]).split()) <= shown
        and not _statement(text[span.start : span.end])
        # "**Teorema:** Sea …", "**Note:** …": the label in bold names no key.
        and not is_note_label(text[span.start : span.end])
        # "**all** switches send BPDUs": a stressed grammar word is read as the line's other
        # words are, never hidden alone.
        and not (
            context.language and text[span.start] != "`" and _grammar(text, span, context.language)
        )
    ]
    bold = [span for span in marked if text[span.start] != "`"]
    if bold:
        # Code spans name commands and fields; bold beside them is what the author stresses.
        marked = bold
    if len(marked) > MAX_GAPS:
        # "**MySQL**, **PostgreSQL**, **MariaDB**, **Oracle**": marks that enumerate a list are
        # asked as the list; hiding the first few of them would be an arbitrary choice.
        between = (text[a.end : b.start] for a, b in pairwise(marked))
        if all(_LIST_SEPARATOR.fullmatch(part) for part in between):
            return [Span(marked[0].start, marked[-1].end)]
        return []
    if marked:
        return marked
    pair = split_pair(text)
    if (
        pair is not None
        and not is_term(pair.left)
        and is_value(pair.right)
        and "://" not in pair.right
    ):
        start = text.rindex(pair.right)
        return [Span(start, start + len(pair.right.rstrip(". ")))]
    found = list(figures(text))
    if found:
        return found
    if context.language:
        marks = quoted(text)
        if marks:
            return [marks[0]]
        long = is_long(fact)
        said = None if long else complement(text, context.language, shown)
        if said is not None:
            return [said]
        # A short line's weightiest phrase is its key; a longer line has one only where a phrase
        # stands out of the others, and makes no cloze on a guess.
        terse = is_terse(fact)
        topic = context.vocabulary.topic
        focused = long and words(text) > MAX_LINE_WORDS
        phrase = key_phrase(
            _unlabelled(text), context.language, shown, topic, rivals=long, focused=focused
        )
        if phrase is not None and phrase.manner:
            phrase = None  # "message will be deleted": a gap asking how the line goes on
        if phrase is not None and long and not in_point(text, phrase.span.start):
            phrase = None  # a later sentence explains the item: its key asks about a detail
        if phrase is not None and (terse or _stands_out(phrase, long)):
            return [bounded(text, phrase.span)]
        if not terse:
            return []
    # No phrase stands out (or the language's words are not known): a count, else the word
    # the fewest facts of the deck use.
    found = [bounded(text, span) for span in counts(text)]
    found = found or _rarest_keyword(text, shown, context.vocabulary, context.language)
    if not found and context.language:
        # No word of the line stands out: what its subject can or will do is its point.
        said = predicate(text, context.language, shown)
        found = [said] if said is not None else []
    return found


def _unlabelled(text: str) -> str:
    """Blank out the label a remark opens with, keeping offsets: its sentence starts after it."""
    label = _LABEL.match(text)
    if label is None or not is_note_label(label.group(1)):
        return text
    if label.group(1).casefold() in _EXAMPLE_LABELS:
        return text  # "Example: a chatbot that …" names a thing: no sentence, no subject
    return " " * label.end() + text[label.end() :]


def segments_of(text: str, gaps: list[Span]) -> tuple[Segment, ...]:
    """Cut text into shown and hidden runs, numbering the hidden ones c1, c2, ..."""
    segments: list[Segment] = []
    position = 0
    # Gaps that hide the same words hide them together: a card never shows what it asks.
    numbers: list[tuple[frozenset[str], int]] = []
    for gap in sorted(gaps, key=lambda g: g.start):
        # Most lines have one gap: its words are not compared with any.
        hidden = frozenset(normalize(text[gap.start : gap.end]).split() if len(gaps) > 1 else ())
        number = next((n for said, n in numbers if _alike(said, hidden)), len(numbers) + 1)
        numbers.append((hidden, number))
        if gap.start > position:
            segments.append(Segment(text[position : gap.start]))
        segments.append(Segment(text[gap.start : gap.end], hidden=number))
        position = gap.end
    if position < len(text):
        segments.append(Segment(text[position:]))
    return tuple(segments)


def _alike(one: frozenset[str], other: frozenset[str]) -> bool:
    """Tell whether two gaps hide the same words, or most of one's words are the other's."""
    # "show spanning-tree pathcost method" beside "spanning-tree pathcost method {short|long}":
    # each card would show nearly all the other hides.
    shared = len(one & other)
    return one == other or (shared >= 2 and 2 * shared >= min(len(one), len(other)))


def _rarest_keyword(
    text: str, shown: frozenset[str], vocabulary: Vocabulary, language: str
) -> list[Span]:
    # A word the card shows in its breadcrumb ("S3" under "Amazon S3") gives itself away. A
    # capitalised everyday word ("First in First out") is no name.
    candidates = [
        (rank, vocabulary.count(word), index, span)
        for index, (word, span, rank) in enumerate(keywords(text))
        if normalize(word) not in shown
        and not (language and rank == _NAME_RANK and stresses(word, language))
        and _unshown(text, [span])  # a word the line says twice gives itself away
    ]
    if not candidates:
        return []
    return [min(candidates, key=lambda found: found[:3])[3]]


def _hides_all(text: str, gaps: list[Span]) -> bool:
    """Tell whether the gaps leave no word in sight: "{{c1::**Singleton with static factory**}}"."""
    hidden = sum(gap.end - gap.start for gap in gaps)
    if len(text) - hidden > _FEW_MARKS:
        return False  # most gaps leave most of their line: it shows a word, not marks alone
    bounds = [Span(0, 0), *sorted(gaps, key=lambda gap: gap.start), Span(len(text), 0)]
    shown = "".join(text[a.end : b.start] for a, b in pairwise(bounds))
    return not _SHOWS_WORD.search(shown)


def _listed(fact: Fact) -> bool:
    """Tell whether an item under another only lists names: "HTTP, HTTPS, TCP, SSL"."""
    # Which one of them a gap hides is a guess: the list is asked whole, by the item above it.
    if fact.is_pair or not fact.context or fact.text.count(",") < 2:
        return False
    entries = _ENTRY_SEPARATOR.split(_ASIDE.sub("", fact.text).strip(" .;"))
    return len(entries) >= MIN_ENTRIES and all(
        0 < len(entry.split()) <= MAX_ENTRY_WORDS for entry in entries
    )


def _grammar(text: str, gap: Span, language: str) -> bool:
    """Tell whether a gap hides one word of the language's commonest: a stop word."""
    hidden = text[gap.start : gap.end]
    return len(hidden.split()) == 1 and stresses(hidden, language)


def _unshown(text: str, gaps: list[Span]) -> list[Span]:
    """Keep the gaps whose words their card does not show again, outside or in another gap."""
    # "VPC Endpoints (within the VPC)" hiding "VPC" gives its answer away; gaps that hide the
    # same words hide them together (see segments_of).
    folded = [normalize(text[gap.start : gap.end]) for gap in gaps]
    if len(gaps) == 1 and text.isascii():
        # Most lines have one gap: folded, the rest of an ASCII line holds the gap's first
        # word only where it holds it as written, in any case.
        rest = f"{text[: gaps[0].start]} {text[gaps[0].end :]}".lower()
        if folded[0].split(" ", 1)[0] not in rest:
            return gaps
    ordered = sorted(zip(gaps, folded, strict=True), key=lambda pair: pair[0].start)
    kept: list[Span] = []
    for gap, hidden in zip(gaps, folded, strict=True):
        parts, position = [], 0
        for other, same in ordered:
            if same == hidden:
                parts.append(text[position : other.start])
                position = other.end
        parts.append(text[position:])
        shown = f" {normalize(' | '.join(parts))} "
        # A long word shown inside another gives itself away too: "Assoziierung" in
        # "Reassoziierung", "scaling" in "autoscaling".
        inside = " " not in hidden and len(hidden) >= MIN_PART_CHARS and hidden in shown
        if f" {hidden} " not in shown and not inside:
            kept.append(gap)
    return kept


def _stands_out(phrase: KeyPhrase, long: bool) -> bool:
    """Tell whether a longer line's key phrase is its point, not a guess at it."""
    # The longer the line, the more points it can make: one read as a paragraph needs a key
    # that outweighs every other phrase by far.
    return phrase.clear and (phrase.stands_out() or not long)


def _statement(marked: str) -> bool:
    """Tell whether a marked run says something rather than names it: long, in lower case."""
    tokens = marked.split()
    lower = sum(token[:1].islower() for token in tokens)
    return len(tokens) > MAX_MARKED_WORDS and lower > len(tokens) // 2


def _hideable(text: str, gap: Span) -> bool:
    # Anki reads "::" inside a gap as the start of a hint, and "}}" as its end.
    hidden = text[gap.start : gap.end]
    return bool(hidden.strip()) and "::" not in hidden and "}}" not in hidden and "{{" not in hidden


def _shows(text: str, words: str) -> bool:
    """Tell whether text holds these words, whatever their case and marks."""
    return f" {normalize(words)} " in f" {normalize(text)} "
