"""Load a stage's entry point when it is first asked for, not when the stage is imported."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module


def loader(package: str, modules: Mapping[str, str]) -> Callable[[str], object]:
    """Return a package's ``__getattr__``: each name is imported from its module when asked."""
    # A stage's module (the ledger's file name, say) is then imported without its whole stage
    # and every stage below it: a build that finds nothing changed loads a third of its modules.

    def load(name: str) -> object:
        module = modules.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(f"{package}.{module}"), name)

    return load
