"""The words phrases are made of, and what each weighs: leads, bridges, negations, scores."""

from __future__ import annotations

import re

# Words this common (Zipf 5.6: "use", "when", "can") carry the grammar, not the fact.
COMMON_ZIPF = 5.6


# A word used less than once per million words (not in the small lists) counts as this rare.
RAREST = 6.0


# A phrase weaker than this (one everyday word) is no key: the fact makes no cloze.
MIN_SCORE = 1.8


# A text whose sentences' best phrases weigh within this share of each other has no one key.
RIVAL_SHARE = 0.8


# In a long text, every phrase of the key's sentence that shares none of its words weighs less
# than this share of the key.
STANDOUT_SHARE = 0.64


# A word the whole file is about counts for this share of its rarity.
TOPIC_WEIGHT = 0.3


# A long line puts what it is there to say at the end of its main clause ("you place the web
# servers in the public subnet and the database servers in the private subnet."), or counts it:
# such a phrase weighs this many times more (a negation is weighed for itself: "not already
# known" ends a clause of no weight). In a short sentence the rarest phrase is the point.
END_FOCUS = 5.0


# Longer gaps ask for a sentence back, not a phrase.
MAX_GAP_WORDS = 5


# Each word more in a gap adds this share of its weight, less the effort of recalling it too.
EXTRA_SHARE = 0.5


WORD_EFFORT = 0.15


# The endings of adverbs and participles ("reliably", "deleted", "rápidamente", "abgewartet").
MANNER_FORMS = {
    "en": re.compile(r"\w\w\w(?:ly|ed)$"),
    "de": re.compile(r"^\w*ge\w\w+t$|\wweise$"),
    "es": re.compile(r"\w\w\w(?:mente|ad[oa]s?|id[oa]s?)$"),
    "fr": re.compile(r"\w\w\w(?:ment|ée?s?)$"),
}


NO_FORM = re.compile(r"(?!)")


WE_FORM = re.compile(r"(?<=\w\w\w)(?:(ar|er|ir)(?:emos|íamos)|ábamos|íamos|amos|emos|imos)$")


# Adverbs of manner: a word of four letters or more and the ending ("apply", "only" are none).
ADVERB_FORMS = {
    "en": re.compile(r"[a-z]{4,}ly"),
    "es": re.compile(r"[a-z\u00e1\u00e9\u00ed\u00f1\u00f3\u00fa]{4,}mente"),
}


NO_TOPIC: frozenset[str] = frozenset()


HAIR = 1e-9


# Words that turn a phrase into the fact: a count ("one launch configuration") or a polarity
# ("cannot modify"). Common as they are, they open a key phrase, never stand alone in one.
LEAD_TEXT = {
    "en": "not cannot can't never no once twice one two three four five six seven eight nine ten"
    " single multiple",
    "de": "nicht kein keine keinen nie niemals genau zwei drei vier fünf sechs sieben acht neun"
    " zehn einzig einzige mehrere",
    "es": "no nunca dos tres cuatro cinco seis siete ocho nueve diez único única múltiples",
    "fr": "pas jamais deux trois quatre cinq six sept huit neuf dix unique plusieurs",
}


LEADS = {language: frozenset(text.split()) for language, text in LEAD_TEXT.items()}


# Of those, the ones that make a statement false when left out weigh the most.
NEGATION_TEXT = "not cannot can't never no nicht kein keine keinen nie niemals nunca pas jamais"


NEGATIONS = frozenset(NEGATION_TEXT.split())


# "not only", "nicht nur", "no solo" add; "whether or not", "ob oder nicht" leave open.
RESTRICTIONS = frozenset(("only", "just", "merely", "nur", "solo", "sólo", "seulement"))


PLAIN_NOTS = frozenset(("not", "nicht", "no", "pas"))


OR_BEFORE = re.compile(r"\b(?:or|oder|o|ou)\s+$", re.IGNORECASE)


# One of these between two runs of rare words keeps them one phrase: "terminate a stopped
# instance", "multiple AZs and multiple regions".
PREPOSITION_TEXT = (
    "of in on at by for to with from per before after into over under between within without"
    " via than using including during despite except von im am an auf für mit zu zum zur bei nach"
    " vor über unter zwischen ohne durch pro aus seit gegen mittels trotz während wegen de del en"
    " con por para al sin entre sobre hasta desde hacia durante según contra tras mediante du des"
    " dans avec par pour à au aux sur"
)


PREPOSITIONS = frozenset(PREPOSITION_TEXT.split())


# What a preposition inside a gap leads is short: "per region", "by default".
MAX_TAIL_WORDS = 1


BRIDGE_TEXT = (
    "a an the and or der die das den dem des ein eine einen einem einer eines und oder el la los"
    " las un una y o"
    " le les une et ou each every jede jeder jedes jeden jedem cada chaque"
)


BRIDGES = frozenset(BRIDGE_TEXT.split()) | PREPOSITIONS


TOKEN = re.compile(r"[^\W_](?:[\w'\u2019./-]*[^\W_])?")


NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


WORD_PARTS = re.compile(r"[-/.]")


# What may end a sentence: a line holding none but at its end is one sentence.
STOP = re.compile(r"[.!?\u3002\uff01\uff1f]")


# A word this rare or less is a common one.
COMMON_RARITY = RAREST - COMMON_ZIPF


# Scores: a negation or a count that opens a phrase, a negation or "once" alone, an acronym,
# a capitalised name inside a sentence; the least rarity of a phrase's first and last words.
NEGATION_BONUS = 2.5


COUNT_BONUS = 1.5


LONE_LEAD = 2.0


NEGATED_RARITY = 1.0


ACRONYM_RARITY = 3.0


NAME_BONUS = 1.0


ITALIC_BONUS = 2.0


ITALIC = re.compile(
    r"(?<![*\w])\*(?![*\s])[^*\n]+?(?<!\s)\*(?![*\w])|(?<![_\w])_(?![_\s])[^_\n]+?(?<!\s)_(?![_\w])"
)


EDGE_RARITY = 0.8


LAST_RARITY = 0.5


LONE_LEAD_TEXT = "not cannot can't never no once twice nicht kein keine nie niemals nunca jamais"


LONE_LEADS = frozenset(LONE_LEAD_TEXT.split())


PLURALS = ("s", "es", "en", "n", "e")


POSSESSIVES = ("'s", "\u2019s")


JOINS = frozenset(("and", "or", "und", "oder", "y", "o", "et", "ou"))


# A later sentence of an item usually explains the first: its phrases weigh less.
LATER_SENTENCE = 0.5


# "If you have a performance problem, your system is slow": the condition sets the scene, what
# follows its comma is the fact.
CONDITION = 0.4


CONDITION_TEXT = (
    "if when whenever because since unless once after before while wenn falls weil da sobald"
    " nachdem bevor si cuando porque mientras lorsque quand puisque"
)


CONDITIONS = frozenset(CONDITION_TEXT.split())


# A sentence opening with one of these carries the point of the item, not its explanation.
CONTRAST_TEXT = (
    "however but yet nevertheless nonetheless jedoch aber allerdings pero cependant mais"
)


CONTRASTS = frozenset(CONTRAST_TEXT.split())


# A sentence opening with one of these and a comma later opens with its scene.
SCENES = CONDITIONS | PREPOSITIONS


# What a clause of purpose or a relative one says ("so that ingress and egress can flow",
# "which will be explained") explains the fact; the fact is before it.
PURPOSE = re.compile(
    r"(?:so\s+that|in\s+order\s+to|to\s+ensure|which|damit|sodass|para\s+que|afin\s+de)\b",
    re.IGNORECASE,
)


PURPOSE_WEIGHT = 0.5


# The words such a clause opens with: a word that opens none is passed over unread.
PURPOSE_OPENING = re.compile(r"so|in|to|which|damit|sodass|para|afin", re.IGNORECASE)


# The first words of a sentence are mostly its subject, which the card asks about.
SUBJECT = 0.3

# What a subject can or will do: "Long polling can save money", "message will appear again".
MODALS = {
    "en": frozenset(["can", "could", "will", "would", "may", "might", "must", "should"]),
    "de": frozenset(
        ["kann", "können", "wird", "werden", "muss", "müssen", "soll", "sollen", "darf", "dürfen"]
    ),
    "es": frozenset(["puede", "pueden", "debe", "deben"]),
    "fr": frozenset(["peut", "peuvent", "doit", "doivent"]),
}
# The words a verb follows: a modal, a pronoun as its subject, the "to" of an infinitive.
VERB_MARKERS = {
    language: words | frozenset(more.split())
    for language, words, more in (
        ("en", MODALS["en"], "it they we you he she to does do did"),
        ("de", MODALS["de"], "es sie wir ihr zu"),
        ("es", MODALS["es"], "se"),
        ("fr", MODALS["fr"], "il ils elle elles nous vous on"),
    )
}
NO_MARKERS: frozenset[str] = frozenset()
LAST_WORD = re.compile(r"(\w+)\s+$")
# The verbs that give a thing its name ("se llama espacio normado", "is termed a lease") lead
# to the name: no part of it.
NAMING_TEXT = (
    "called termed named llama llaman denomina denominan heißt heißen nennt nennen appelle"
    " appellent appelé appelée appelés"
)
NAMING = frozenset(NAMING_TEXT.split())
CLAUSE_END_TEXT = (
    "but which that so if when because where while whereas whether although aber weil wenn da ob"
    " das die der wo wohin woher wie pero que porque cuando si donde mais qui parce quand où"
)
CLAUSE_ENDS = frozenset(CLAUSE_END_TEXT.split())
# "once" joins clauses too, but as a count it is a key: "delivered at least once".
JOINERS = (CLAUSE_ENDS | CONDITIONS) - LONE_LEADS
