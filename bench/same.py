"""Build the same notes with an earlier commit and with this tree, and compare what they write.

usage: python -m bench.same COMMIT [FOLDER ...] [--files 100] [--items 100000]

A change that moves code and not behaviour leaves every deck, ledger and changelog byte for
byte as it was. Each case is built by both sources from a fresh copy of the same notes, at the
same fixed time (SOURCE_DATE_EPOCH): the seed with the ledger it ships, the seed from nothing,
the bench vault from nothing, and the bench vault again after one file was edited (a rebuild
that reuses the other files' notes); then each notes folder named (other people's notes). Prints
one line a case; exits 1 if any file differs.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench.earlier import earlier_tree
from bench.vault import write_vault

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SEED = REPO / "notes"
CLOCK = "1767225600"  # 2026-01-01: both builds stamp new notes alike


def build(source: Path, notes: Path, out: Path, clock: str = CLOCK) -> None:
    """Build a notes folder with the package of one source tree, in a fresh process."""
    subprocess.run(
        [sys.executable, "-m", "notes2anki", "build", str(notes), "-o", str(out), "--quiet"],
        check=True,
        cwd=source,
        env={**os.environ, "PYTHONPATH": str(source / "src"), "SOURCE_DATE_EPOCH": clock},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def written(notes: Path, out: Path) -> dict[str, bytes]:
    """Return every deck, ledger and changelog a build left, by name."""
    files = [*out.glob("*.apkg"), *out.glob("CHANGELOG.md"), *notes.glob("*.lock")]
    return {path.name: path.read_bytes() for path in files}


def edit_one(notes: Path) -> None:
    """Change one item of one file, as a user's edit between two builds."""
    path = sorted(notes.glob("*.md"))[len(list(notes.glob("*.md"))) // 2]
    text = path.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if re.match(r"(- |\d+\. )", line))
    path.write_text(text.replace(line, f"{line} and one more word", 1), encoding="utf-8")


def run_case(
    source: Path, notes: Path, work: Path, prepare: Callable[[Path], None] | None
) -> dict[str, bytes]:
    """Build a fresh copy of the notes (then, with prepare, edit and build again)."""
    copy, out = work / "notes", work / "out"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(notes, copy)
    build(source, copy, out)
    if prepare is not None:
        prepare(copy)
        build(source, copy, out, str(int(CLOCK) + 3600))
    return written(copy, out)


def main() -> int:
    """Build each case with both sources and say which outputs differ."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("commit", help="the earlier commit to compare with")
    parser.add_argument("folders", nargs="*", type=Path, help="more notes folders to build")
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()
    differ = 0
    with tempfile.TemporaryDirectory(prefix="notes2anki-same-") as scratch:
        work = Path(scratch)
        with earlier_tree(args.commit, work / "earlier") as earlier:
            bare = work / "seed-bare"
            shutil.copytree(SEED, bare, ignore=shutil.ignore_patterns("*.lock"))
            vault = write_vault(work / "vault", args.files, args.items)
            cases = {
                "seed, with its ledger": (SEED, None),
                "seed, from nothing": (bare, None),
                "bench vault, from nothing": (vault, None),
                "bench vault, one file edited": (vault, edit_one),
                **{str(folder): (folder, None) for folder in args.folders},
            }
            for name, (notes, prepare) in cases.items():
                before = run_case(earlier, notes, work / "a", prepare)
                after = run_case(REPO, notes, work / "b", prepare)
                changed = sorted(
                    file
                    for file in before.keys() | after.keys()
                    if before.get(file) != after.get(file)
                )
                differ += bool(changed)
                sizes = ", ".join(f"{file} {len(data):,} B" for file, data in sorted(after.items()))
                verdict = "differ: " + ", ".join(changed) if changed else "identical"
                print(f"{name}: {verdict} ({sizes})")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
