"""Hold Ctrl-C back for a moment that must not be cut short, and deliver it after."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def held() -> Iterator[None]:
    """Hold Ctrl-C until the block is done, then raise it; outside the main thread, do nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    # Processes forked meanwhile inherit this handler, not Python's default: a Ctrl-C that
    # reaches them before they set their own prints no traceback.
    previous = signal.signal(signal.SIGINT, lambda number, _: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            raise KeyboardInterrupt
