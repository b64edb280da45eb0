"""`notes2anki sync` into a real Anki collection, in a profile folder laid out as Anki's."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from anki.collection import Collection

from notes2anki.identity.ledger import LEDGER_NAME, load_ledger
from notes2anki.targets.profiles import anki_folder

NOTES = """# Networks

## Transport
- TCP - a reliable, ordered byte stream between two hosts
- UDP - datagrams without delivery guarantees or ordering

## Naming
- DNS - resolves host names to IP addresses
- TTL - how long a resolver may cache an answer
"""
PROFILE = "User 1"
REMOVED = "notes2anki::removed"


@pytest.fixture
def anki_base(tmp_path: Path) -> Path:
    """Make Anki's folder with one profile whose collection holds the user's own reviewed note."""
    base = tmp_path / "Anki2"
    (base / PROFILE).mkdir(parents=True)
    (base / "addons21").mkdir()  # Anki's folder holds more than profiles
    with collection(base) as col:
        deck = col.decks.id("Spanish", create=True)
        note = col.new_note(col.models.by_name("Basic"))  # type: ignore[arg-type]
        note["Front"], note["Back"] = "hola", "hello"
        col.add_note(note, deck)  # type: ignore[arg-type]
        review(col, deck)
    return base


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "deck.toml").write_text('name = "Study"\n', encoding="utf-8")
    (folder / "networks.md").write_text(NOTES, encoding="utf-8")
    return folder


@contextmanager
def collection(base: Path, profile: str = PROFILE) -> Iterator[Collection]:
    (base / profile).mkdir(parents=True, exist_ok=True)
    col = Collection(str(base / profile / "collection.anki2"))
    try:
        yield col
    finally:
        col.close()


def review(col: Collection, deck: int) -> None:
    """Answer every due card of a deck once, as a user studying it would."""
    col.decks.select(deck)  # type: ignore[arg-type]
    while (card := col.sched.getCard()) is not None:
        col.sched.answerCard(card, 3)  # type: ignore[arg-type]


def sync(
    base: Path, notes: Path, *args: str, command: str = "sync", **env: str
) -> subprocess.CompletedProcess[str]:
    """Run `notes2anki sync` as a user does, with Anki's folder where the test made it."""
    return subprocess.run(
        notetaker(base, notes, command, *args),
        capture_output=True,
        text=True,
        env={**os.environ, "ANKI_BASE": str(base), **env},
        check=False,
    )


def sync_and_study(base: Path, notes: Path) -> None:
    """Sync the notes, then study every card of their deck once."""
    assert sync(base, notes).returncode == 0
    with collection(base) as col:
        review(col, col.decks.id("Study::Networks"))  # type: ignore[arg-type]


def notetaker(base: Path, notes: Path, command: str, *args: str) -> list[str]:
    """Return the command line of a notes2anki command writing beside the notes."""
    out = str(notes.parent / "out")
    return [sys.executable, "-m", "notes2anki", command, str(notes), "-o", out, *args]


def state(col: Collection) -> dict[str, tuple[object, ...]]:
    """Return every note by its first field: id, fields, tags, each card's deck and scheduling."""
    found = {}
    for note_id in col.find_notes(""):
        note = col.get_note(note_id)
        cards = tuple(
            (
                col.decks.name(card.did),
                card.ivl,
                card.due,
                card.queue,
                card.type,
                col.db.scalar("select count() from revlog where cid = ?", card.id),
            )
            for card in note.cards()
        )
        found[note.fields[0]] = (note.id, tuple(note.fields), tuple(note.tags), cards)
    return found


def front(words: str, found: dict[str, tuple[object, ...]]) -> tuple[object, ...]:
    """Return the Basic note whose front is the words."""
    (key,) = [key for key in found if key.strip() == words]
    return found[key]


def saying(words: str, found: dict[str, tuple[object, ...]]) -> dict[str, tuple[object, ...]]:
    """Return the notes whose fields hold the words."""
    return {key: note for key, note in found.items() if words in " ".join(note[1])}  # type: ignore[arg-type]


def deck_size(notes: Path) -> int:
    return len(load_ledger(notes).notes)


def test_sync_adds_the_deck_and_leaves_the_users_own_notes_alone(
    anki_base: Path, notes: Path
) -> None:
    with collection(anki_base) as col:
        before = state(col)
    done = sync(anki_base, notes)
    assert done.returncode == 0, done.stderr
    added = deck_size(notes)
    assert "synced into" in done.stdout and f"{added} added" in done.stdout
    with collection(anki_base) as col:
        after = state(col)
        assert len(col.find_notes('"deck:Study::Networks"')) == added
    assert after["hola"] == before["hola"]  # fields, tags, deck and scheduling as they were
    assert len(after) == len(before) + added
    assert list((anki_base / PROFILE / "backups").iterdir())  # Anki's own backup, first
    assert "## Sync into" in (notes.parent / "out" / "CHANGELOG.md").read_text(encoding="utf-8")


def test_a_second_sync_with_nothing_changed_changes_nothing(anki_base: Path, notes: Path) -> None:
    assert sync(anki_base, notes).returncode == 0
    with collection(anki_base) as col:
        modified = col.mod
    again = sync(anki_base, notes)
    assert again.returncode == 0, again.stderr
    assert "nothing to change" in again.stdout
    with collection(anki_base) as col:
        assert col.mod == modified


def test_a_renamed_heading_moves_reviewed_cards_with_their_history(
    anki_base: Path, notes: Path
) -> None:
    sync_and_study(anki_base, notes)
    with collection(anki_base) as col:
        # One card the user put into a deck of their own: it stays there.
        mine = col.decks.id("Mine", create=True)
        note_id = front("UDP", state(col))[0]
        col.set_deck([card.id for card in col.get_note(note_id).cards()], mine)  # type: ignore[arg-type,union-attr]
        before = state(col)
    page = notes / "networks.md"
    page.write_text(NOTES.replace("# Networks", "# Computer networks"), encoding="utf-8")
    planned = sync(anki_base, notes, "--dry-run")
    assert f"{deck_size(notes) - 1} moved" in planned.stdout
    assert "cards to Study::Computer networks" in planned.stdout
    with collection(anki_base) as col:
        assert state(col) == before
    done = sync(anki_base, notes)
    assert done.returncode == 0, done.stderr
    assert f"{deck_size(notes) - 1} moved" in done.stdout
    with collection(anki_base) as col:
        after = state(col)
        assert not col.find_cards('"deck:Study::Networks"')
    assert after.keys() == before.keys()
    for key, (note_id, _, _, cards) in after.items():
        was_id, _, _, was_cards = before[key]
        assert note_id == was_id
        decks = {card[0] for card in cards}  # type: ignore[index]
        if key == "hola":
            assert decks == {"Spanish"}
        elif key.strip() == "UDP":
            assert decks == {"Mine"}
        else:
            assert decks == {"Study::Computer networks"}
        assert [card[1:] for card in cards] == [card[1:] for card in was_cards]  # history kept
        assert all(card[-1] >= 1 for card in cards)  # type: ignore[index]


def test_cards_follow_a_renamed_heading_into_a_deck_anki_spells_otherwise(
    anki_base: Path, notes: Path
) -> None:
    # Anki tells decks apart without case: the user's "study" deck takes the deck's notes as
    # "study::Networks", and a rename still moves them.
    with collection(anki_base) as col:
        col.decks.id("study", create=True)
    sync_and_study(anki_base, notes)
    page = notes / "networks.md"
    page.write_text(NOTES.replace("# Networks", "# Computer networks"), encoding="utf-8")
    done = sync(anki_base, notes)
    assert f"{deck_size(notes)} moved" in done.stdout, done.stdout + done.stderr
    with collection(anki_base) as col:
        assert len(col.find_notes('"deck:Study::Computer networks"')) == deck_size(notes)


def test_removed_facts_are_retired_and_come_back_active_with_their_history(
    anki_base: Path, notes: Path
) -> None:
    sync_and_study(anki_base, notes)
    with collection(anki_base) as col:
        reviewed = saying("cache an answer", state(col))
    assert reviewed
    page = notes / "networks.md"
    page.write_text(NOTES.replace("- TTL - how long a resolver may cache an answer\n", ""), "utf-8")
    done = sync(anki_base, notes)
    assert f"{len(reviewed)} retired" in done.stdout, done.stdout + done.stderr
    with collection(anki_base) as col:
        retired = saying("cache an answer", state(col))
        others = {key: note for key, note in state(col).items() if key not in retired}
    assert retired.keys() == reviewed.keys()
    for key, (note_id, _, tags, cards) in retired.items():
        assert note_id == reviewed[key][0] and REMOVED in tags  # type: ignore[operator]
        assert all(card[3] == -1 for card in cards)  # type: ignore[attr-defined,index]
    assert not any(REMOVED in note[2] for note in others.values())  # type: ignore[operator]
    page.write_text(NOTES, encoding="utf-8")
    done = sync(anki_base, notes)
    assert f"{len(reviewed)} restored" in done.stdout, done.stdout + done.stderr
    with collection(anki_base) as col:
        back = saying("cache an answer", state(col))
    assert back == reviewed  # the same notes, untagged, their cards active with their history


def test_removed_facts_are_deleted_when_the_deck_says_so(anki_base: Path, notes: Path) -> None:
    (notes / "deck.toml").write_text('name = "Study"\nremoved = "delete"\n', encoding="utf-8")
    assert sync(anki_base, notes).returncode == 0
    page = notes / "networks.md"
    page.write_text(NOTES.replace("- TTL - how long a resolver may cache an answer\n", ""), "utf-8")
    with collection(anki_base) as col:
        gone = len(saying("cache an answer", state(col)))
    done = sync(anki_base, notes)
    assert f"{gone} deleted" in done.stdout, done.stdout + done.stderr
    with collection(anki_base) as col:
        found = state(col)
    assert not saying("cache an answer", found)
    assert "hola" in found and len(found) == 1 + deck_size(notes)


def test_a_collection_anki_has_open_is_refused(anki_base: Path, notes: Path) -> None:
    with collection(anki_base):
        done = sync(anki_base, notes)
    assert done.returncode == 1
    assert "Anki has this collection open" in done.stderr and "Traceback" not in done.stderr
    assert not (notes / LEDGER_NAME).exists()  # nothing built, nothing written
    assert not (notes.parent / "out").exists()


def test_a_dry_run_prints_the_plan_and_changes_nothing(anki_base: Path, notes: Path) -> None:
    with collection(anki_base) as col:
        modified = col.mod
    done = sync(anki_base, notes, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "would be 8 added" in done.stdout
    with collection(anki_base) as col:
        assert col.mod == modified
    assert not (notes / LEDGER_NAME).exists()
    assert not (notes.parent / "out").exists()


def test_a_profile_is_named_when_there_are_several(anki_base: Path, notes: Path) -> None:
    with collection(anki_base, "Other"):
        pass
    done = sync(anki_base, notes)
    assert done.returncode == 1
    assert "several Anki profiles (Other, User 1): name one with --profile" in done.stderr
    done = sync(anki_base, notes, "--profile", "Other")
    assert done.returncode == 0, done.stderr
    with collection(anki_base, "Other") as col:
        assert len(col.find_notes("")) == deck_size(notes)


@pytest.mark.parametrize("after", ["backup", 0.5, 1.0, 1.5, 2.0])
def test_a_sync_killed_at_any_moment_leaves_a_collection_anki_opens(
    anki_base: Path, notes: Path, after: str | float
) -> None:
    # Killed while it builds, right after its backup (as it imports), or later: the collection
    # opens, whole, the user's note as it was, and the next sync brings the deck in.
    with collection(anki_base) as col:
        users = state(col)["hola"]
    env = {**os.environ, "ANKI_BASE": str(anki_base)}
    command = notetaker(anki_base, notes, "sync")
    running = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    backups = anki_base / PROFILE / "backups"
    if after == "backup":
        while running.poll() is None and not (backups.is_dir() and any(backups.iterdir())):
            time.sleep(0.005)
    else:
        with contextlib.suppress(subprocess.TimeoutExpired):
            running.wait(timeout=float(after))
    running.kill()
    running.wait()
    with collection(anki_base) as col:
        assert col.db.scalar("pragma integrity_check") == "ok"
        assert state(col)["hola"] == users
    assert sync(anki_base, notes).returncode == 0
    with collection(anki_base) as col:
        assert len(col.find_notes('"deck:Study::Networks"')) == deck_size(notes)


def test_sync_without_ankis_package_says_how_to_install_it(
    anki_base: Path, notes: Path, tmp_path: Path
) -> None:
    # `build` never needs the package; `sync` names the extra that brings it.
    missing = tmp_path / "without-anki" / "anki"
    missing.mkdir(parents=True)
    (missing / "__init__.py").write_text('raise ImportError("No module named anki")\n', "utf-8")
    done = sync(anki_base, notes, PYTHONPATH=str(missing.parent))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "pip install 'notes2anki[sync]'" in done.stderr
    built = sync(anki_base, notes, command="build", PYTHONPATH=str(missing.parent))
    assert built.returncode == 0, built.stderr


@pytest.mark.parametrize(
    ("platform", "environ", "expected"),
    [
        ("linux", {}, "home/.local/share/Anki2"),
        ("linux", {"XDG_DATA_HOME": "/data"}, "/data/Anki2"),
        ("darwin", {}, "home/Library/Application Support/Anki2"),
        ("win32", {"APPDATA": "C:/Users/me/AppData/Roaming"}, "C:/Users/me/AppData/Roaming/Anki2"),
        ("darwin", {"ANKI_BASE": "/elsewhere"}, "/elsewhere"),
    ],
)
def test_profiles_are_looked_for_where_anki_keeps_them(
    platform: str, environ: dict[str, str], expected: str
) -> None:
    assert anki_folder(environ, platform, Path("home")) == Path(expected)
