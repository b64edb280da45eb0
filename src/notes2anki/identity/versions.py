"""Number deck versions: major.minor from deck.toml, the patch counted by content changes."""

from __future__ import annotations

from notes2anki.identity.entries import DeckRecord


def next_version(base: str, record: DeckRecord, content: str) -> DeckRecord:
    """Keep the version for unchanged content; count the patch up when content changed."""
    previous_base, _, previous_patch = record.version.rpartition(".")
    if previous_base != base or not previous_patch.isdigit():
        return DeckRecord(f"{base}.0", content)
    if record.content == content:
        return record
    return DeckRecord(f"{base}.{int(previous_patch) + 1}", content)
