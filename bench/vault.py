"""Write a synthetic notes vault shaped like real study notes, of any size, reproducibly."""

from __future__ import annotations

import random
from pathlib import Path

WORDS = [
    "cache",
    "queue",
    "shard",
    "index",
    "replica",
    "stream",
    "bucket",
    "policy",
    "token",
    "lease",
    "region",
    "zone",
    "route",
    "gateway",
    "cluster",
    "node",
    "volume",
    "snapshot",
    "backup",
    "tier",
    "table",
    "record",
    "topic",
    "partition",
    "broker",
    "function",
    "trigger",
    "schedule",
    "metric",
    "alarm",
    "role",
    "group",
    "secret",
    "key",
    "cipher",
    "channel",
    "socket",
]
_UNITS = ("ms", "secs", "mins", "GB", "TB", "MiB", "%", "IOPS")
_SEPARATORS = (" - ", ": ", " = ", " ==> ", " -- ")


def _phrase(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def _fact(rng: random.Random, tag: str) -> str:
    shape = rng.random()
    term = f"{_phrase(rng, 2).title()} {tag}"
    if shape < 0.55:
        return f"{term}{rng.choice(_SEPARATORS)}{_phrase(rng, rng.randint(4, 12))}"
    if shape < 0.75:
        value = f"{rng.randint(1, 5000)} {rng.choice(_UNITS)}"
        return f"Default {_phrase(rng, 2)} {tag} = {value} and {_phrase(rng, 4)}"
    return (
        f"{_phrase(rng, rng.randint(6, 14)).capitalize()} {tag} with {rng.choice(WORDS).upper()}."
    )


def vault_file(rng: random.Random, number: int, items: int) -> str:
    """Return one notes file of about `items` list items."""
    lines = [f"# Topic {number}: {_phrase(rng, 2).title()}", ""]
    written = 0
    section = 0
    while written < items:
        section += 1
        size = min(items - written, rng.randint(8, 30))
        if section % 7 == 0:
            first, second = (f"{rng.choice(WORDS).upper()}{section}" for _ in range(2))
            lines.append(f"{first} vs {second}")
            for index in range(size):
                subject = first if index % 2 == 0 else second
                detail = f"{_phrase(rng, rng.randint(4, 10))} {number}x{section}x{index}"
                lines.append(f"{index + 1}. {subject} - {detail}")
        else:
            lines.append(
                f"## {_phrase(rng, 3).title()} {section}"
                if section % 5 == 0
                else f"{_phrase(rng, 3).title()} {number}.{section}"
            )
            for index in range(size):
                lines.append(f"{index + 1}. {_fact(rng, f'{number}x{section}x{index}')}")
        lines.append("")
        written += size
    return "\n".join(lines) + "\n"


def write_vault(folder: Path, files: int, items: int, seed: int = 7) -> Path:
    """Write `files` notes files holding `items` list items in all, and a deck.toml."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "deck.toml").write_text('name = "Bench Vault"\nversion = "1.0"\n', encoding="utf-8")
    per_file = items // files
    for number in range(files):
        text = vault_file(rng, number, per_file)
        (folder / f"topic-{number:03d}.md").write_text(text, encoding="utf-8")
    return folder
