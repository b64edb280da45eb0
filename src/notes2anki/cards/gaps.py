"""Choose what a cloze hides in a line: a pair's value or term, marked words, a key phrase."""

from __future__ import annotations

import re
from itertools import pairwise

from notes2anki.cards.clauses import complement, predicate
from notes2anki.cards.gap_words import grammar_word, is_statement, shows_words, unshown
from notes2anki.cards.keyphrases import Asked, KeyPhrase, key_phrase
from notes2anki.cards.phrase_checks import in_point, stresses
from notes2anki.cards.rules.base import (
    MAX_LINE_WORDS,
    RuleContext,
    Vocabulary,
    answer_is_value,
    is_long,
    is_terse,
    subject_words,
)
from notes2anki.model import Fact
from notes2anki.pairs import is_term, is_value, names_rivals, split_pair, without_aside
from notes2anki.reading.extract import is_note_label
from notes2anki.reading.questions import asks
from notes2anki.spans import (
    Span,
    bounded,
    counts,
    emphasised,
    figures,
    keywords,
    quoted,
)
from notes2anki.text import MIN_FACT_WORDS, is_field_label, normalize, words

# A term that is only a code or a number: "00", "0x1F", "404".
_CODE_NUMBER = re.compile(r"(?:0x)?[0-9A-Fa-f]*\d[0-9A-Fa-f]*")


# What stands between the entries of a list written in a line: "a, b and c", "a / b", and an
# aside on an entry: "a (Multi-AZ), and b".
JOINERS = r"(?:and|or|und|oder|y|o|e|et|ou)"


_LIST_SEPARATOR = re.compile(rf"\s*(?:\([^()]*\))?[\s,;/]*(?:{JOINERS}\s+)?", re.IGNORECASE)


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


# A left side opening with a preposition of time names a moment, not a thing: "Before CRI".
_SCENE_TERM = re.compile(
    r"(?:before|after|during|until|since|vor|nach|während|seit|antes\s+de|después\s+de|durante"
    r"|desde|avant|après|pendant|depuis)\b",
    re.IGNORECASE,
)


_EXAMPLE_LABELS = frozenset(("example", "beispiel", "ejemplo", "exemple"))


# "**Note:** …", "Teorema: …": the label before a remark, which opens no sentence of it.
_LABEL = re.compile(r"\s*(?:\*\*|__)?([^\W\d_][^\W\d_ ]*)\s*[:\uff1a](?:\*\*|__)?\s")


# How keywords() ranks a capitalised word inside a sentence, a name.
_NAME_RANK = 2


# More gaps than this in one line make cards that test the layout, not the facts.
MAX_GAPS = 3


def gaps_of(fact: Fact, context: RuleContext, labels: frozenset[str] = frozenset()) -> list[Span]:
    """Choose what to hide: the value or term of a pair, else marked words, figures, a key word."""
    text = fact.text
    if fact.is_pair and fact.term is not None and fact.definition is not None:
        return _pair_gaps(fact, fact.term, fact.definition, labels)
    default = _DEFAULT_MARK.fullmatch(text) if text.endswith((")", ").", ")!")) else None
    if default and is_term(default.group("name")):
        # "Standard Queue (default)": which of its section's options is the default.
        return [Span(default.start("name"), default.end("name"))]
    if words(text) < MIN_FACT_WORDS:
        return []
    # What the author set in bold is the key, unless the breadcrumb shows it already.
    shown = frozenset(subject_words(fact))
    marked = _marked(text, shown, context.language)
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
        chosen = _phrase_gaps(fact, context, shown)
        if chosen is not None:
            return chosen
    # No phrase stands out (or the language's words are not known): a count, else the word
    # the fewest facts of the deck use.
    found = [bounded(text, span) for span in counts(text)]
    found = found or _rarest_keyword(text, shown, context.vocabulary, context.language)
    if not found and context.language:
        # No word of the line stands out: what its subject can or will do is its point.
        said = predicate(text, context.language, shown)
        found = [said] if said is not None else []
    return found


def _pair_gaps(fact: Fact, term: str, definition: str, labels: frozenset[str]) -> list[Span]:
    """Hide a pair's value, or its term where the term is the name to recall."""
    text = fact.text
    if answer_is_value(fact):
        start = text.rindex(definition)
        found = [Span(start + s.start, start + s.end) for s in figures(definition)]
        return found or [Span(start, start + len(definition.rstrip(". ")))]
    if (
        term == fact.section.title
        or shows_words(definition, term)
        or shows_words(term, definition)
        or is_field_label(term)
        or normalize(term) in labels
        or asks(definition)
        or _RUNS_ON.search(term) is not None
        or _CLAUSE_VERB.search(term) is not None
        or _SCENE_TERM.match(term) is not None
        or names_rivals(term)
    ):
        # A heading over its paragraph is asked by its Basic card; a term its own definition
        # names again would be hidden in vain; beside a question ("Ask yourself: …?") the
        # term is no answer; and a left side that runs on into its right ("Frameworks with
        # analytics in mind are: …") is no name to recall; nor is a label that each compared
        # subject fills in ("Max duration: …"), nor two rivals named side by side
        # ("**Overfitting vs. Underfitting:** …").
        return []
    if _CODE_NUMBER.fullmatch(term.strip("*_` ")):
        # "00: Management": a code names the thing, and the thing is what is recalled.
        start = text.rindex(definition)
        return [Span(start, start + len(definition.rstrip(". ")))]
    # "**Expedite** (white): ...": the term's aside stays in sight, a hint to the name.
    term = term if term in text else without_aside(term)
    start = text.index(term)
    end = start + len(term)
    if text[start - 2 : start] == "**" and text[end : end + 2] == "**":
        start, end = start - 2, end + 2
    return [Span(start, end)]


def _marked(text: str, shown: frozenset[str], language: str) -> list[Span]:
    """Return the parts the author marked as key, the breadcrumb's words and labels aside."""
    marked = [
        span
        for span in emphasised(text)
        if not set(normalize(text[span.start : span.end]).split()) <= shown
        and not is_statement(text[span.start : span.end])
        # "**Teorema:** Sea …", "**Note:** …": the label in bold names no key.
        and not is_note_label(text[span.start : span.end])
        # "**all** switches send BPDUs": a stressed grammar word is read as the line's other
        # words are, never hidden alone.
        and not (language and text[span.start] != "`" and grammar_word(text, span, language))
    ]
    bold = [span for span in marked if text[span.start] != "`"]
    # Code spans name commands and fields; bold beside them is what the author stresses.
    return bold or marked


def _phrase_gaps(fact: Fact, context: RuleContext, shown: frozenset[str]) -> list[Span] | None:
    """Hide a quoted phrase, a complement or the line's key phrase; None to try counts next."""
    text = fact.text
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
        _unlabelled(text), context.language, Asked(shown, topic, rivals=long, focused=focused)
    )
    if phrase is not None and phrase.manner:
        phrase = None  # "message will be deleted": a gap asking how the line goes on
    if phrase is not None and long and not in_point(text, phrase.span.start):
        phrase = None  # a later sentence explains the item: its key asks about a detail
    if phrase is not None and (terse or _stands_out(phrase, long)):
        return [bounded(text, phrase.span)]
    return None if terse else []


def _unlabelled(text: str) -> str:
    """Blank out the label a remark opens with, keeping offsets: its sentence starts after it."""
    label = _LABEL.match(text)
    if label is None or not is_note_label(label.group(1)):
        return text
    if label.group(1).casefold() in _EXAMPLE_LABELS:
        return text  # "Example: a chatbot that …" names a thing: no sentence, no subject
    return " " * label.end() + text[label.end() :]


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
        and unshown(text, [span])  # a word the line says twice gives itself away
    ]
    if not candidates:
        return []
    return [min(candidates, key=lambda found: found[:3])[3]]


def _stands_out(phrase: KeyPhrase, long: bool) -> bool:
    """Tell whether a longer line's key phrase is its point, not a guess at it."""
    # The longer the line, the more points it can make: one read as a paragraph needs a key
    # that outweighs every other phrase by far.
    return phrase.clear and (phrase.stands_out() or not long)
