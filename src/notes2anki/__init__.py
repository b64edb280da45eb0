"""notes2anki: compile Markdown study notes into Anki decks."""


def __getattr__(name: str) -> str:
    """Read ``__version__`` from the installed package when it is first asked for."""
    # importlib.metadata takes longer to import than all of a small build: only --version asks.
    if name != "__version__":
        raise AttributeError(f"module 'notes2anki' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("notes2anki")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0"
