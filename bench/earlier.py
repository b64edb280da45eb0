"""Check an earlier commit out beside this tree, for a bench to run it and this tree alike."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@contextmanager
def earlier_tree(commit: str, folder: Path) -> Iterator[Path]:
    """Check the commit out into a temporary git worktree at folder; remove it after."""
    subprocess.run(
        ["git", "worktree", "add", "--detach", "--quiet", str(folder), commit],
        check=True,
        cwd=REPO,
    )
    try:
        yield folder
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=REPO)
