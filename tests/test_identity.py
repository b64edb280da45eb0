"""Stable GUIDs, mod times that move only with content, and byte-identical rebuilds."""

from __future__ import annotations

import io
import json
import shutil
from dataclasses import replace
from difflib import SequenceMatcher
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notes2anki.building.outputs import file_sha256
from notes2anki.building.pipeline import BuildOptions, BuildResult, build
from notes2anki.cards.notetypes import NOTETYPES
from notes2anki.errors import NotesError
from notes2anki.identity.entries import DeckRecord, Entry
from notes2anki.identity.ledger import LEDGER_FORMAT, LEDGER_NAME, Ledger, load_ledger
from notes2anki.identity.ledger_lines import Places, Unchanged, write_ledger
from notes2anki.identity.similarity import SIMILAR_ENOUGH, similarity
from notes2anki.identity.splicing import write_spliced
from tests.helpers import REPO, SEED_NOTES, apkg_notes


def build_to(notes: Path, out: Path) -> BuildResult:
    return build(BuildOptions(notes, out))


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_rebuilding_unchanged_notes_gives_identical_bytes(seed_notes: Path, tmp_path: Path) -> None:
    first = build_to(seed_notes, tmp_path / "a").deck_path.read_bytes()
    ledger = (seed_notes / "notes2anki.lock").read_bytes()
    second = build_to(seed_notes, tmp_path / "b").deck_path.read_bytes()
    assert first == second
    assert (seed_notes / "notes2anki.lock").read_bytes() == ledger


def test_source_date_epoch_makes_fresh_builds_identical(
    seed_notes: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = build_to(seed_notes, tmp_path / "a").deck_path.read_bytes()
    (seed_notes / "notes2anki.lock").unlink()
    second = build_to(seed_notes, tmp_path / "b").deck_path.read_bytes()
    assert first == second
    assert {mod for _, mod, _ in apkg_notes(tmp_path / "a" / "aws-dva-c01-1.0.0.apkg")} == {
        1700000000
    }


def notes_by_guid(deck: Path) -> dict[str, tuple[int, str]]:
    return {guid: (mod, fields) for guid, mod, fields in apkg_notes(deck)}


@pytest.mark.parametrize(
    ("rule", "old", "new"),
    [
        # A Basic answer: the card asks for the term, so the term is its identity.
        (
            "basic",
            "CNAME - hostname to hostname\n",
            "CNAME - maps a hostname to another hostname\n",
        ),
        # A Cloze answer: the hidden figure is the answer, the shown text the identity.
        ("cloze", "Defaut cooldown period = 300 secs", "Defaut cooldown period = 600 secs"),
    ],
)
def test_editing_an_answer_keeps_the_guid_and_moves_only_that_mod(
    seed_notes: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rule: str,
    old: str,
    new: str,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    with (seed_notes / "deck.toml").open("a", encoding="utf-8") as config:
        config.write(f'rules = ["{rule}"]\n')
    before = notes_by_guid(build_to(seed_notes, tmp_path / "a").deck_path)
    # Rebuilt in the same second: a changed note must still be strictly newer, or Anki skips it.
    replace_in(seed_notes / "aws-dva-c01-notes.md", old, new)
    after = notes_by_guid(build_to(seed_notes, tmp_path / "b").deck_path)
    assert before.keys() == after.keys()
    changed = [guid for guid in after if after[guid][1] != before[guid][1]]
    assert len(changed) == 1
    assert new.split()[-1].strip() in after[changed[0]][1]
    assert after[changed[0]][0] > before[changed[0]][0]
    assert all(after[guid][0] == before[guid][0] for guid in after if guid not in changed)


def test_inserting_lines_above_changes_no_note(seed_notes: Path, tmp_path: Path) -> None:
    before = apkg_notes(build_to(seed_notes, tmp_path / "a").deck_path)
    replace_in(
        seed_notes / "aws-dva-c01-notes.md",
        "# AWS-DVA-C01-Notes\n",
        "# AWS-DVA-C01-Notes\n\nRead me first.\n\n",
    )
    after = apkg_notes(build_to(seed_notes, tmp_path / "b").deck_path)
    assert sorted(before) == sorted(after)


def test_notetype_mod_moves_only_with_templates(seed_notes: Path, tmp_path: Path) -> None:
    build_to(seed_notes, tmp_path / "a")
    first = load_ledger(seed_notes).notetypes
    replace_in(seed_notes / "aws-dva-c01-notes.md", "Managed DNS.", "Managed DNS service.")
    build_to(seed_notes, tmp_path / "b")
    assert load_ledger(seed_notes).notetypes == first
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    with (templates / "anki" / "style.css").open("a") as css:
        css.write(".n2a-prompt { color: teal; }\n")
    build(BuildOptions(seed_notes, tmp_path / "c", templates_dir=templates))
    changed = load_ledger(seed_notes).notetypes
    for name, entry in changed.items():
        assert entry.changed > first[name].changed


# Released notetypes: Anki refuses to update notes whose notetype changed shape, so these lists
# may only change together with a new notetype id and a migration note.
RELEASED = {
    "notes2anki Basic": (
        1_846_203_771,
        (
            ("Front", 6_215_904_420_111),
            ("Back", 6_215_904_420_112),
            ("Extra", 6_215_904_420_113),
            ("Context", 6_215_904_420_114),
            ("Source", 6_215_904_420_115),
        ),
        (6_215_904_420_191,),
    ),
    "notes2anki Cloze": (
        1_846_203_772,
        (
            ("Text", 6_215_904_420_211),
            ("Extra", 6_215_904_420_212),
            ("Context", 6_215_904_420_213),
            ("Source", 6_215_904_420_214),
        ),
        (6_215_904_420_291,),
    ),
    "notes2anki Compare": (
        1_846_203_773,
        (
            ("Subjects", 6_215_904_420_311),
            ("Table", 6_215_904_420_312),
            ("Extra", 6_215_904_420_313),
            ("Context", 6_215_904_420_314),
            ("Source", 6_215_904_420_315),
        ),
        (6_215_904_420_391,),
    ),
}


def test_released_notetypes_never_change_shape() -> None:
    current = {
        notetype.name: (notetype.id, notetype.fields, tuple(t.id for t in notetype.templates))
        for notetype in NOTETYPES
    }
    assert current == RELEASED


def test_a_ledger_changed_while_it_is_copied_from_stops_the_write(
    seed_notes: Path, tmp_path: Path
) -> None:
    build(BuildOptions(seed_notes, tmp_path / "out"))
    path = seed_notes / LEDGER_NAME
    ledger = load_ledger(seed_notes)
    unchanged = set(ledger.notes)
    copied, written = io.BytesIO(), io.BytesIO()
    write_ledger(copied, ledger, Unchanged(path, file_sha256(path), unchanged))
    write_ledger(written, ledger)
    assert copied.getvalue() == written.getvalue() == path.read_bytes()
    spliced = io.BytesIO()
    write_spliced(spliced, ledger, Unchanged(path, file_sha256(path), unchanged))
    assert spliced.getvalue() == written.getvalue()
    # Lines are copied only from the very file the last build wrote; any other is an error.
    for write in (write_ledger, write_spliced):
        with pytest.raises(NotesError, match="ledger changed while the build ran"):
            write(io.BytesIO(), ledger, Unchanged(path, "0" * 64, unchanged))


_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.builds(
            Entry,
            key=_TEXT,
            hash=_TEXT,
            changed=st.integers(0, 2**40),
            source=_TEXT,
            id=st.integers(0, 2**50),
            kind=st.sampled_from(["basic", "cloze", "compare", ""]),
            section=_TEXT,
            text=_TEXT,
            deck=_TEXT,
            retired=st.sampled_from([0, 0, 1_700_000_000]),
        ),
        max_size=4,
    )
)
def test_ledger_lines_are_json_that_reads_back_as_the_entries(
    tmp_path_factory: pytest.TempPathFactory, entries: list[Entry]
) -> None:
    # Lines are written out by hand for speed: each note's must be a JSON object of its own,
    # its names sorted, and the file must read back as the entries it was written from.
    folder = tmp_path_factory.mktemp("ledger")
    # A retired note keeps no content hash or change time.
    notes = {
        f"guid{number}": replace(entry, hash="", changed=0) if entry.retired else entry
        for number, entry in enumerate(entries)
    }
    live = {guid: entry for guid, entry in notes.items() if not entry.retired}
    retired = {guid: entry for guid, entry in notes.items() if entry.retired}
    with (folder / LEDGER_NAME).open("wb") as stream:
        write_ledger(stream, Ledger(live, {}, retired=retired))
    lines = (folder / LEDGER_NAME).read_text(encoding="utf-8").split("\n")
    written = [line.removesuffix(",") for line in lines if line.startswith('"guid')]
    assert len(written) == len(notes)
    for line in written:
        ((guid, fields),) = json.loads("{" + line + "}").items()
        assert list(fields) == sorted(fields)
        entry = notes[guid]
        assert fields["k"] == f"{entry.kind} {entry.key}"
        assert (fields.get("c", 0), fields["id"], fields["t"]) == (
            entry.changed,
            entry.id,
            entry.text,
        )
        assert fields.get("r", 0) == entry.retired
    again = load_ledger(folder)
    assert (again.notes, again.retired) == (live, retired)
    assert again.format == LEDGER_FORMAT


# Texts over a few letters, so that random pairs share much and sometimes pass the bar.
_ALIKE = st.text(alphabet="abcde ", max_size=40)


def _common_length(first: str, second: str) -> int:
    """Return the length of the longest common subsequence, the plain way."""
    row = [0] * (len(second) + 1)
    for character in first:
        diagonal = 0
        for index, other in enumerate(second, start=1):
            diagonal, row[index] = (
                row[index],
                (diagonal + 1 if character == other else max(row[index], row[index - 1])),
            )
    return row[-1]


@settings(max_examples=400, deadline=None)
@given(_ALIKE, _ALIKE)
def test_similarity_is_the_share_of_characters_in_common_from_the_bar_up(
    first: str, second: str
) -> None:
    # Twice the longest common subsequence over both lengths; never below difflib's ratio,
    # which its matching blocks (a common subsequence) make.
    share = 2 * _common_length(first, second) / (len(first) + len(second)) if first + second else 0
    expected = share if first and second and share >= SIMILAR_ENOUGH else 0.0
    assert similarity(first, second) == pytest.approx(expected)
    ratio = SequenceMatcher(None, first, second, autojunk=False).ratio()
    if first and second and ratio >= SIMILAR_ENOUGH:
        assert similarity(first, second) >= ratio - 1e-12


def test_the_bar_parts_an_edit_from_another_fact() -> None:
    fixed = "CNAME - points a hostname to any other hostname"
    assert similarity(fixed, "CNAME - points a hostnme to any other hostname") > 0.9
    assert similarity("Alias - hostname to AWS resource", "CNAME - hostname to hostname") == 0.0


_GUID = st.text(
    alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", min_size=1
)
# Some lines longer than a read of the file at a time.
_ENTRY = st.builds(
    Entry,
    key=st.one_of(_TEXT, st.just("k" * 5000)),
    kind=st.just("basic"),
    # Notes of a few sections: the table of sections, ahead of the notes, changes with them.
    section=st.sampled_from(["", "a", "b / c"]),
    deck=st.sampled_from(["", "D"]),
    hash=_TEXT,
    changed=st.integers(0, 9),
    source=_TEXT,
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        _GUID, st.tuples(_ENTRY, st.sampled_from(["kept", "gone", "again"])), max_size=12
    ),
    st.dictionaries(_GUID, _ENTRY, max_size=4),
)
def test_a_spliced_ledger_is_the_ledger_written_afresh(
    tmp_path_factory: pytest.TempPathFactory,
    last: dict[str, tuple[Entry, str]],
    made: dict[str, Entry],
) -> None:
    # A rebuild copies the unchanged notes' lines from the last ledger in runs, and makes the
    # others: notes that went, changed (a GUID kept) or came, at the start, middle or end.
    # A changed file's note that came out again as it was ("again") keeps its line too.
    path = tmp_path_factory.mktemp("ledger") / LEDGER_NAME
    with path.open("wb") as stream:
        write_ledger(stream, Ledger({guid: entry for guid, (entry, _) in last.items()}, {}))
    kept = {g: e for g, (e, fate) in last.items() if fate == "kept" and g not in made}
    again = {g: e for g, (e, fate) in last.items() if fate == "again" and g not in made}
    dropped = {g: e for g, (e, _) in last.items() if g not in kept}
    ledger = Ledger(kept | again | made, {}, DeckRecord("1.0.1", "c"))
    spliced = io.BytesIO()
    write_spliced(spliced, ledger, Unchanged(path, file_sha256(path), kept, dropped))
    afresh = io.BytesIO()
    write_ledger(afresh, ledger)
    assert spliced.getvalue() == afresh.getvalue()


def test_lines_that_name_places_by_other_ids_are_made_again(tmp_path: Path) -> None:
    # Two places whose ids clash get ids that depend on each other: a line of the last ledger
    # that names its place by an id this build gives another is made again, never copied.
    entries = {
        guid: Entry(f"key {guid}", "h", 1, "f.md:1", 1, "basic", section, "text", "Deck")
        for guid, section in (("g1", "s"), ("g2", "u"))
    }
    ledger = Ledger(entries, {}, DeckRecord("1.0.0", "c"))
    path = tmp_path / LEDGER_NAME
    with path.open("wb") as stream:
        write_ledger(stream, ledger)
    afresh = path.read_bytes()
    named = Places(entries.values()).ids[("Deck", "s")]
    path.write_text(path.read_text("utf-8").replace(f'"{named}"', '"Another1"'), "utf-8")
    for write in (write_ledger, write_spliced):
        written = io.BytesIO()
        write(written, ledger, Unchanged(path, file_sha256(path), set(entries)))
        assert written.getvalue() == afresh


def test_rebuilding_the_seed_with_its_shipped_ledger_keeps_every_card(tmp_path: Path) -> None:
    # An upgrade of the tool reads the ledger the last version wrote: every fact that still
    # makes a card of its kind keeps that card's GUID, so Anki keeps its reviews.
    notes = tmp_path / "notes"
    shutil.copytree(SEED_NOTES, notes)  # with its ledger, as users have it
    shipped = load_ledger(notes)
    assert shipped.notes
    build(BuildOptions(notes, tmp_path / "dist"))
    rebuilt: dict[tuple[str, str], set[str]] = {}
    for guid, entry in load_ledger(notes).notes.items():
        rebuilt.setdefault((entry.source, entry.kind), set()).add(guid)
    # A fact may stop making one kind of card (a cloze that hid a term its own definition
    # shows); it keeps a card of another kind, and every kind it still makes keeps its GUID.
    lost = [
        (entry.source, entry.kind)
        for guid, entry in shipped.notes.items()
        if (entry.source, entry.kind) in rebuilt and guid not in rebuilt[(entry.source, entry.kind)]
    ]
    assert lost == []
    carded = {source for source, _ in rebuilt}
    assert [e.source for e in shipped.notes.values() if e.source not in carded] == []
    kept = sum((e.source, e.kind) in rebuilt for e in shipped.notes.values())
    assert kept >= 0.98 * len(shipped.notes)
