"""Compile a notes folder, then write the deck, changelog, ledger and build record at once."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

from notes2anki.building.buildcache import BuildRecord, dump_record
from notes2anki.building.compiling import Compiled, compile_notes
from notes2anki.building.deck_content import deck_content, describe, notetype_entries
from notes2anki.building.options import BuildOptions, BuildResult
from notes2anki.building.outputs import Outputs, Staged
from notes2anki.building.settled import SettledIndex
from notes2anki.building.units import CACHE_NAME
from notes2anki.identity.changelog import (
    CHANGELOG_NAME,
    Changes,
    changelog_entry,
    changes_between,
    write_changelog,
)
from notes2anki.identity.entries import DeckRecord, Entry
from notes2anki.identity.ledger import LEDGER_FORMAT, Ledger
from notes2anki.identity.ledger_lines import write_ledger
from notes2anki.identity.splicing import write_spliced
from notes2anki.identity.versions import next_version
from notes2anki.reading.own_files import RECORD_NAME
from notes2anki.targets.apkg import DeckDetails, DeckRows


def compile_and_write(options: BuildOptions, inputs: str, whole_folder: bool) -> BuildResult:
    """Compile the notes (reusing what the last build settled), then write every output."""
    # Inputs: the fingerprint of all the build read, recorded for the next build to compare.
    cache_dir = options.out_dir / CACHE_NAME if whole_folder else None
    compiled = compile_notes(options, cache_dir, with_deck=True)
    assert compiled.deck is not None
    with closing(compiled.deck) as rows:
        return _write(options, inputs, compiled, rows)


def _write(options: BuildOptions, inputs: str, compiled: Compiled, rows: DeckRows) -> BuildResult:
    """Write the deck, changelog, ledger and build record, all or nothing."""
    config, ledger = compiled.config, compiled.ledger
    notetypes = notetype_entries(compiled.templates, ledger, compiled.clock)
    # Every file is written in full beside its place first; then all are renamed in order: the
    # deck, the changelog, the ledger that records them, and last the record that says the
    # build finished.
    with Outputs() as outputs:
        # The deck's rows are in: it is packed on a second thread, where sqlite's indexes and
        # zlib's deflate let go of the interpreter. Meanwhile this thread finds the version
        # (which the deck's description tells, and its name), then writes the changelog and
        # ledger.
        details: Future[DeckDetails] = Future()
        deck = outputs.add_in_background(
            options.out_dir / f"{config.slug}.apkg",
            lambda stream: rows.pack(stream, compiled.media, details.result),
        )
        try:
            entries, record = _version(compiled, notetypes)
            details.set_result(
                DeckDetails(
                    describe(config, record.version),
                    {name: entry.changed for name, entry in notetypes.items()},
                )
            )
        finally:
            details.cancel()  # the deck stops waiting when this failed; a no-op once told
        deck_path = options.out_dir / f"{config.slug}-{record.version}.apkg"
        outputs.rename(deck, deck_path.name)
        changes = (
            changes_between(ledger, compiled.compared, notetypes, compiled.first)
            if record != ledger.deck
            else Changes()
        )
        if changes:
            entry = changelog_entry(record.version, compiled.clock, changes)
            _add_changelog(outputs, options.out_dir / CHANGELOG_NAME, config.name, entry)
        new_ledger = Ledger(entries, notetypes, record, compiled.retired)
        ledger_file = _add_ledger(outputs, options.ledger_path, compiled, new_ledger)
        finished = BuildRecord(
            inputs,
            ledger_file.sha256,
            config.name,
            deck_path.name,
            deck.result().sha256,
            record.version,
            compiled.summary,
        )
        outputs.add_bytes(options.out_dir / RECORD_NAME, dump_record(finished))
        outputs.commit()
    _vouch(compiled, ledger_file.sha256, new_ledger)
    return BuildResult(
        deck_path,
        config,
        record.version,
        changes,
        compiled.summary,
        compiled.notes,
        decisions=compiled.decisions,
    )


def _version(
    compiled: Compiled, notetypes: dict[str, Entry]
) -> tuple[dict[str, Entry], DeckRecord]:
    """Return the notes' entries sorted by GUID, and the deck's version record."""
    config, ledger = compiled.config, compiled.ledger
    # Sorted by GUID once: the deck's content hash and the ledger both go so.
    entries = {guid: compiled.entries[guid] for guid in sorted(compiled.entries)}
    content = deck_content(config, entries, notetypes)
    record = next_version(config.version, ledger.deck, content)
    # An older ledger's deck hash was reckoned from longer note hashes: the same notes read as
    # new content there. The deck is new only if a note is.
    if (
        ledger.format < LEDGER_FORMAT
        and record != ledger.deck
        and not changes_between(ledger, compiled.compared, notetypes, compiled.first)
    ):
        record = DeckRecord(ledger.deck.version, content)
    return entries, record


def _add_changelog(outputs: Outputs, changelog: Path, deck_name: str, entry: str) -> None:
    """Write the changelog with the build's entry on top."""
    outputs.add(changelog, lambda stream: write_changelog(stream, changelog, deck_name, entry))


def _add_ledger(outputs: Outputs, path: Path, compiled: Compiled, ledger: Ledger) -> Staged:
    """Write the ledger (copying the unchanged notes' lines), and store the caches meanwhile."""
    # The caches are stored on a second thread while the ledger is written: while one waits for
    # the disk or hashes, the other goes on.
    with ThreadPoolExecutor(1, thread_name_prefix="notes2anki-cache") as storing:
        stored = storing.submit(_store_caches, compiled)
        unchanged = compiled.unchanged
        ledger_file = outputs.add(
            path,
            lambda stream: (
                write_ledger(stream, ledger)
                if unchanged is None
                else write_spliced(stream, ledger, unchanged)
            ),
        )
        stored.result()
    return ledger_file


def _vouch(compiled: Compiled, ledger_sha256: str, ledger: Ledger) -> None:
    """Say that the notes the build settled count, now that it has written all."""
    settling = compiled.settling
    if settling is None:
        return
    settling.store.vouch(
        SettledIndex(
            ledger_sha256,
            settling.paths,
            settling.files(),
            settling.whole(),
            ledger.notetypes,
            ledger.deck,
            compiled.retired,
        )
    )


def _store_caches(compiled: Compiled) -> None:
    """Store each file's compilation and settled notes for the next build, and drop the rest."""
    settling, cache = compiled.settling, compiled.cache
    if settling is not None:
        settling.store.put({key: settled for key, settled in settling.new.values()})
    if cache is not None:
        if settling is not None:
            cache.used.update(settling.store.file_names(list(settling.files().values())))
            # A file whose every card settled into a note is read back from its notes.
            for key, settled in settling.new.values():
                if settled.whole:
                    cache.pending.pop(key, None)
        cache.save()
