"""Frozen dataclasses that are quick to make: a build makes hundreds of thousands of them."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from types import FunctionType
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T")


@overload
def frozen(cls: type[T], /) -> type[T]: ...


@overload
def frozen(*, order: bool = False) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True)
def frozen(
    cls: type[T] | None = None, /, *, order: bool = False
) -> type[T] | Callable[[type[T]], type[T]]:
    """Make a class a frozen, slotted dataclass whose __init__ fills its slots directly."""

    def make(cls: type[T]) -> type[T]:
        made = dataclasses.dataclass(frozen=True, slots=True, order=order)(cls)
        made.__init__ = _slot_filler(made)  # type: ignore[method-assign]
        return made

    return make if cls is None else make(cls)


_NO_VALUE = object()


def _slot_filler(cls: type[Any]) -> Callable[..., None]:
    """Write an __init__ that sets each field through its slot, as the dataclass's would."""
    # A frozen dataclass's own __init__ calls object.__setattr__ for each field, which looks
    # the field up afresh every time; a slot's setter, found once here, takes half as long.
    # Everything else (the frozen __setattr__, eq, hash, repr, replace) stays the dataclass's.
    names: dict[str, object] = {"_NO_VALUE": _NO_VALUE}
    parameters: list[str] = []
    lines: list[str] = []
    for number, field in enumerate(dataclasses.fields(cls)):
        names[f"_set{number}"] = cls.__dict__[field.name].__set__
        if field.default is not dataclasses.MISSING:
            names[f"_default{number}"] = field.default
            parameters.append(f"{field.name}=_default{number}")
        elif field.default_factory is not dataclasses.MISSING:
            names[f"_factory{number}"] = field.default_factory
            parameters.append(f"{field.name}=_NO_VALUE")
            lines.append(f"    if {field.name} is _NO_VALUE: {field.name} = _factory{number}()")
        else:
            parameters.append(field.name)
        lines.append(f"    _set{number}(self, {field.name})")
    source = f"def __init__(self, {', '.join(parameters)}):\n" + "\n".join(lines or ["    pass"])
    exec(source, names)  # the way dataclasses itself writes __init__
    init = names["__init__"]
    assert isinstance(init, FunctionType)
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = f"Make a {cls.__name__}."
    return init
