"""Fixtures shared by the test modules."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import SEED_NOTES, copy_notes


@pytest.fixture
def seed_notes(tmp_path: Path) -> Path:
    """Return a private copy of the default notes folder, without its ledger."""
    return copy_notes(SEED_NOTES, tmp_path / "notes")
