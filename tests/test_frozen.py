"""The pipeline's records: frozen dataclasses whose __init__ is written for speed."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from notes2anki.frozen import frozen
from notes2anki.model import Loc


@frozen
class Record:
    name: str
    count: int = 1
    tags: list[str] = dataclasses.field(default_factory=list)


def test_a_record_is_made_as_a_frozen_dataclass_would_be() -> None:
    made = Record("a", tags=["x"])
    assert dataclasses.is_dataclass(made)
    assert (made.name, made.count, made.tags) == ("a", 1, ["x"])
    assert Record("a") == Record(name="a", count=1, tags=[])
    assert Record("a").tags is not Record("a").tags  # a fresh list each time
    assert dataclasses.replace(made, count=3) == Record("a", 3, ["x"])
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.name = "b"
    with pytest.raises(TypeError):
        Record()
    with pytest.raises(TypeError):
        Record("a", 1, [], "extra")
    with pytest.raises(AttributeError):
        made.__dict__  # noqa: B018  (slotted: no instance dictionary)


def test_records_order_pickle_and_hash_as_before() -> None:
    assert sorted([Loc("b.md", 1), Loc("a.md", 9), Loc("a.md", 2)])[0] == Loc("a.md", 2)
    assert pickle.loads(pickle.dumps(Loc("a.md", 3))) == Loc("a.md", 3)
    assert len({Loc("a.md", 3), Loc("a.md", 3)}) == 1
