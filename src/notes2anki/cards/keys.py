"""Name what a card is and says: its key, its section's, its content hash, the text kept."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable

from notes2anki.frozen import frozen
from notes2anki.model import Kind, Loc
from notes2anki.records import CardSpec
from notes2anki.text import fold_name, normalize

# What the ledger keeps of what a card says: enough to know it again when it is edited.
TEXT_CHARS = 240
_HASH_CHARS = 6
_KEY_CHARS = 10


@frozen
class Draft:
    """A rendered card waiting for its identity: key, fields and what matching compares."""

    # Only what identity needs of the card, so that cached drafts stay small.
    kind: Kind
    loc: Loc
    section: str
    key: str
    digest: str  # the key as the ledger keeps it (ledger_key)
    deck: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    content: str
    text: str  # what the card says as plain text, for the ledger and for matching edits

    def __reduce__(self) -> tuple[type[Draft], tuple[object, ...]]:
        """Pickle as a call with the values, far quicker than the generic dataclass state."""
        return (
            Draft,
            (
                self.kind,
                self.loc,
                self.section,
                self.key,
                self.digest,
                self.deck,
                self.fields,
                self.tags,
                self.content,
                self.text,
            ),
        )


def note_key(deck: str, spec: CardSpec) -> str:
    """Say what a note is about: deck, section path, kind, parent items and prompt, normalized."""
    parts = (deck, *spec.section.path, spec.kind.value, *spec.context)
    return " / ".join((*map(normalize, parts), fold_name(spec.prompt)))


def section_key(spec: CardSpec) -> str:
    """Name a note's section for matching, normalized."""
    return " / ".join(normalize(part) for part in spec.section.path)


def content_hash(parts: Iterable[str]) -> str:
    """Hash what Anki would store for a note, so that any visible change is noticed."""
    # Every part is followed by a unit separator; joined first, the text is hashed in one go.
    # 36 bits: a hash is only ever compared with the same note's (or deck's) last one.
    every = tuple(parts)
    joined = "\x1f".join(every) + "\x1f" if every else ""
    return _base64(hashlib.sha256(joined.encode()).digest()[:6])[:_HASH_CHARS]


def ledger_key(key: str) -> str:
    """Return a note key as the ledger keeps it: its digest, then its prompt's."""
    # 60 bits tell keys apart in any deck; the prompt's 18 let matching ask whether a note that
    # left asked what a fact asks (a wrong "yes" only lowers the bar for a text 85 % alike).
    return digest(key, _KEY_CHARS) + digest(key.rpartition(" / ")[2], 3)


def asks(digest: str) -> str:
    """Return the part of a ledger key that names its prompt."""
    return digest[_KEY_CHARS:]


def digest(text: str, chars: int) -> str:
    """Return a digest of text in so many base64 characters (six bits each)."""
    size = (chars * 6 + 7) // 8
    return _base64(hashlib.blake2b(text.encode(), digest_size=size).digest())[:chars]


def _base64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii")


def upgraded_hash(old: str) -> str:
    """Return an older ledger's content hash (hexadecimal, 20 digits) as content_hash writes it."""
    if len(old) != 20 or any(digit not in "0123456789abcdef" for digit in old):
        return old
    return _base64(bytes.fromhex(old[:12]))[:_HASH_CHARS]
