"""Errors about the user's input; their text is what the user reads."""

from __future__ import annotations

from collections.abc import Iterable

from notes2anki.model import Loc


class NotesError(Exception):
    """A problem in the user's notes, config or templates, reported as ``path:line: message``."""

    def __init__(self, where: Loc | str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message

    def __reduce__(self) -> tuple[type[NotesError], tuple[Loc | str, str]]:
        """Pickle by place and message, as the build cache stores warnings."""
        return (NotesError, (self.where, self.message))


class NotesErrors(NotesError):
    """Several problems found in one pass, reported together."""

    def __init__(self, problems: Iterable[NotesError]) -> None:
        self.problems = tuple(problems)
        first = self.problems[0]
        super().__init__(first.where, first.message)

    def __str__(self) -> str:
        """Show every problem, one per line."""
        return "\n".join(str(problem) for problem in self.problems)


def raise_all(problems: list[NotesError]) -> None:
    """Raise the collected problems at once, if there are any."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise NotesErrors(problems)
