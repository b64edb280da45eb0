"""Import decks into a real Anki collection with Anki's own backend (the `anki` package)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anki.collection import (
    Card,  # anki.cards cannot be imported before anki.collection
    Collection,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition
from anki.notes import NoteId

from tests.helpers import visible

IF_NEWER = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
# Anki shows template and cloze problems as a card text linking to this page.
_ERROR_MARK = "templates/errors"


@dataclass(frozen=True)
class ImportLog:
    """What Anki's importer reported, as GUID lists per outcome."""

    new: list[str]
    updated: list[str]
    duplicate: list[str]
    conflicting: list[str]
    found: int


def open_collection(folder: Path) -> Collection:
    """Create a fresh, empty collection in a folder."""
    return Collection(str(folder / "collection.anki2"))


def import_deck(collection: Collection, deck: Path) -> ImportLog:
    """Import an .apkg with Anki's default options (update notes if newer) and return the log."""
    collection.db.execute("ANALYZE")
    response = collection.import_anki_package(
        ImportAnkiPackageRequest(
            package_path=str(deck),
            options=ImportAnkiPackageOptions(
                with_scheduling=False, with_deck_configs=False, update_notes=IF_NEWER
            ),
        )
    )
    collection._clear_caches()
    log = response.log

    def guids(notes: Iterable[Any]) -> list[str]:
        return [collection.get_note(NoteId(note.id.nid)).guid for note in notes]

    return ImportLog(
        new=guids(log.new),
        updated=guids(log.updated),
        duplicate=guids(log.duplicate),
        conflicting=guids(log.conflicting),
        found=log.found_notes,
    )


def render_problems(collection: Collection) -> list[str]:
    """Render every card; list those with an error, a blank question or a blank answer."""
    problems: list[str] = []
    for card_id in collection.find_cards(""):
        card = collection.get_card(card_id)
        question, answer = card.question(), card.answer()
        where = f"card {card_id} of note {card.note().guid}"
        if _ERROR_MARK in question or _ERROR_MARK in answer:
            problems.append(f"{where}: Anki reports a template problem")
        if not visible(question):
            problems.append(f"{where}: blank question")
        revealed = answer.split("<hr id=answer>")[-1]
        if not visible(revealed) or visible(answer) == visible(question):
            problems.append(f"{where}: the answer shows nothing new")
    return problems


def check_notetypes(collection: Collection) -> list[str]:
    """Ask Anki to validate each imported notetype's templates, as saving it in Anki would."""
    problems: list[str] = []
    for entry in collection.models.all_names_and_ids():
        notetype = collection.models.get(entry.id)
        if notetype is None or not notetype["name"].startswith("notes2anki"):
            continue
        try:
            collection.models.update_dict(notetype)
        except Exception as error:  # Anki raises CardTypeError and friends
            problems.append(f"{notetype['name']}: {error}")
    return problems


def review(collection: Collection, card: Card, ease: int = 3) -> Card:
    """Answer a card as a user would, and return it as Anki then stores it."""
    card.start_timer()
    collection.sched.answerCard(card, ease)
    return collection.get_card(card.id)
