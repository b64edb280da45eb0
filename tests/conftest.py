"""Fixtures shared by the test modules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser import chromium
from tests.helpers import SEED_NOTES, copy_notes


@pytest.fixture
def seed_notes(tmp_path: Path) -> Path:
    """Return a private copy of the default notes folder, without its ledger."""
    return copy_notes(SEED_NOTES, tmp_path / "notes")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Start Debian's Chromium headless for the tests of one module."""
    with chromium() as launched:
        yield launched
