"""Fixtures shared by the test modules, and the hostile sweep's figures in the summary."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from _pytest.terminal import TerminalReporter
from playwright.sync_api import Browser

from tests.browser import chromium
from tests.helpers import SEED_NOTES, SWEEP_REPORTS, copy_notes

_STARTED = time.time()


@pytest.fixture
def seed_notes(tmp_path: Path) -> Path:
    """Return a private copy of the default notes folder, without its ledger."""
    return copy_notes(SEED_NOTES, tmp_path / "notes")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Start Debian's Chromium headless for the tests of one module."""
    with chromium() as launched:
        yield launched


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    """Show the figures of each hostile sweep this run made (the whole report is in build/)."""
    for report in sorted(SWEEP_REPORTS.glob("*.txt")) if SWEEP_REPORTS.is_dir() else ():
        if report.stat().st_mtime >= _STARTED:
            figures = report.read_text(encoding="utf-8").splitlines()[:5]
            terminalreporter.write_line(f"{report.stem}: " + "; ".join(figures))
