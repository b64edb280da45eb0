"""Recognise questions in notes: "Q: ... A: ...", "...? answer", and quiz sections."""

from __future__ import annotations

import re

from notes2anki.frozen import frozen
from notes2anki.pairs import Pair, is_term, is_value, split_last_pair
from notes2anki.reading.pointers import URL
from notes2anki.text import blank_links, mask

# Where a sentence ends: a stop before a space or the end, marks closing after it.
_STOP = re.compile(r"[.!?\u3002\uff01\uff1f](?=[*_)\]\"']*(?:\s|$))")
_QA = re.compile(r"^\s*Q\s*[:.]\s*(?P<question>.+?)\s+A\s*[:.]\s*(?P<answer>.+)$", re.IGNORECASE)
# A question set in italics or bold ("_Does it …?_ Be wary …") keeps its closing marks.
# What an exam question says of its options: "(Choose TWO)", "(Select 2)", "(Wähle zwei)".
_INSTRUCTION = re.compile(
    r"\((?:choose|select|pick|w[aä]hle|elige|seleccione)\b[^()]*\)", re.IGNORECASE
)
# A question has a word before its mark: '"?": optionales Auftreten' names an operator.
_ASKED = re.compile(
    r"^(?=[^?\uff1f]*\w)(?P<question>.+?[?\uff1f](?:\*{1,2}|_{1,2})?+)\s*(?:[-=:]+>?\s*)?(?P<answer>\S.*)$"
)
_ASKING_WORD = re.compile(
    r"^(?:what|which|why|how|when|where|who|whom|whose|can|does|do|is|are|should|will"
    r"|was|warum|wie|was|welche[rs]?|wann|wo|qu[eé]|cu[aá]l(?:es)?|c[oó]mo|por qu[eé]|cu[aá]ndo)\b",
    re.IGNORECASE,
)
_QUIZ_TITLE = re.compile(
    r"\b(?:quiz(?:zes)?|questions?|q\s*&\s*a|self[- ]test|fragen|preguntas|cuestionario)\b"
    r"|测验|问题|练习题",
    re.IGNORECASE,
)


# "Correct answer: B, E", "**Answer:** C", "Antwort: A und D", "Respuesta correcta: b".
_ANSWER_LINE = re.compile(
    r"^\W*(?:correct\s+answers?|answers?|richtige\s+antwort(?:en)?|antwort(?:en)?|l[öo]sung"
    r"|respuestas?(?:\s+correctas?)?|正确答案|答案)[\s*_]*[:\uff1a][\s*_]*(?P<letters>[A-Ha-h](?:\s*(?:,|;|/|&"
    r"|and|und|y|和)\s*[A-Ha-h])*)\W*$",
    re.IGNORECASE,
)
# "A. AWS CLI.", "b) Amazon S3", "(C) Route 53".
_OPTION = re.compile(r"^\(?(?P<letter>[A-Ha-h])[.)]\s+(?P<text>\S.*)$")


@frozen
class ExamQuestion:
    """A question with lettered options and the letters of the right ones."""

    question: str
    answers: tuple[str, ...]  # the right options' text, in their order; none when not given


def is_answer_line(text: str) -> bool:
    """Tell whether a line gives an exam question's answer by letters: "Correct answer: D"."""
    return bool(_ANSWER_LINE.match(text))


def exam_question(text: str, lines: tuple[str, ...]) -> ExamQuestion | None:
    """Read a question whose lines under it are lettered options and an answer line."""
    options: dict[str, str] = {}
    letters: set[str] = set()
    for line in lines:
        option = _OPTION.match(line)
        answer = _ANSWER_LINE.match(line)
        if answer:
            letters |= {char.upper() for char in re.findall(r"\b[A-Ha-h]\b", answer["letters"])}
        elif option:
            options[option["letter"].upper()] = option["text"].strip()
        else:
            return None
    if len(options) < 2 or not letters <= options.keys():
        return None
    answers = tuple(options[letter].rstrip(". ") for letter in sorted(letters))
    return ExamQuestion(" ".join(text.split()), answers)


def is_quiz_title(title: str) -> bool:
    """Tell whether a section title announces questions: "Quiz", "ECS Quiz", "Fragen"."""
    return bool(_QUIZ_TITLE.search(title))


def asks(text: str, position: int = 0) -> bool:
    """Tell whether the sentence going on at a position is a question: it states nothing."""
    # "Is this a sign that I shouldn't be a manager?": a gap would ask for a word of a question.
    stop = _STOP.search(text, position)
    if stop is None:
        # "How should you send that data into Kinesis": asked, its question mark left out.
        return asks_bare(text)
    return stop.group() in "?\uff1f"


# A question word and the verb that asks with it: a line opening so is a question.
_BARE_QUESTION = re.compile(
    r"^\W*(?:how|what|why|when|where|which|who)\s+(?:should|shall|do|does|did|can|could|is|are"
    r"|was|were|will|would|must)\s",
    re.IGNORECASE,
)


# "A: Exactly one", "**Answer:** send it with a partition key": a line giving the answer to
# the question on the line before it.
_ANSWER_LABEL = re.compile(
    r"^[*_]*(?:A|Ans|Answer|Antwort|Respuesta|R[ée]ponse|R|答|答案)[*_]*\s*[:\uff1a][*_]*\s*"
    r"(?P<answer>\S.*)$",
    re.IGNORECASE,
)
# What such a label can open with: most lines open otherwise, and are not matched.
_ANSWER_FIRST = frozenset("AaRr*_\u7b54")
# "Q: How many …", "**Question:** …", "Frage: …": a line asking, labelled as such.
_QUESTION_LABEL = re.compile(
    r"^[*_]*(?:Q|Question|Frage|Pregunta|P|问|问题)[*_]*\s*[:.\uff1a][*_]*\s*(?P<question>\S.*)$",
    re.IGNORECASE,
)


def answered(question: str, answer: str) -> Pair | None:
    """Join a question and the answer given on the line after it, if that is what they are."""
    if answer[:1] not in _ANSWER_FIRST:
        return None  # most lines: no answer's label opens them
    given = _ANSWER_LABEL.match(answer)
    if given is None or _QA.match(question) or _ASKED.match(blank_links(question)):
        return None  # the question's line answers it, or the next line is no answer
    labelled = _QUESTION_LABEL.match(question)
    asked = labelled.group("question") if labelled else question
    if labelled is None and not (ends_asking(question) or asks_bare(question)):
        return None
    return Pair(asked.strip(), "A:", given.group("answer").strip())


def ends_asking(text: str) -> bool:
    """Tell whether a line ends with a question mark, maybe inside emphasis."""
    return text.rstrip("*_ ").endswith(("?", "\uff1f"))


def asks_bare(text: str) -> bool:
    """Tell whether a line is a question written without its question mark."""
    return _BARE_QUESTION.match(text) is not None and _STOP.search(text) is None


def question_of(text: str, in_quiz: bool) -> Pair | None:
    """Split an item written as a question into question and answer, if it is one."""
    explicit = _QA.match(text)
    if explicit:
        return Pair(explicit.group("question").strip(), "A:", explicit.group("answer").strip())
    # The pattern would read the whole line in search of a question mark: most lines have none.
    # A "?" inside a link or URL ("watch?v=…"), code or an aside ("Lernstrategie (Wie viele
    # …?)") asks nothing: the pattern reads a copy with those blanked out, of the same length,
    # and the parts are cut from the line itself.
    asked = None
    if "?" in text or "\uff1f" in text:
        asked = _ASKED.match(mask(text))
    if asked:
        question = text[asked.start("question") : asked.end("question")]
        answer = text[asked.start("answer") : asked.end("answer")]
        if _INSTRUCTION.fullmatch(answer.strip()):
            return None  # "(Choose TWO)" tells how to answer, not what
        return Pair(question.strip(), "?", answer.strip())
    asking = bool(_ASKING_WORD.match(text))
    if not asking and not in_quiz:
        return None  # most lines: no need to split them
    pair = split_last_pair(text)
    if pair is None or not pair.right or URL.match(pair.right):
        return None
    # "Which config enables task roles = ECS_ENABLE_TASK_IAM_ROLE": the answer comes last.
    if asking:
        return pair
    # In a quiz, "long statement = short answer" is a question too; "Read more here: URL" is not.
    if in_quiz and pair.separator != ":" and not is_term(pair.left) and is_value(pair.right):
        return pair
    return None
