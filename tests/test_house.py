"""The package's layout: each stage imports only the stages below it, and every room is small."""

from __future__ import annotations

import ast
import importlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "notes2anki"
# From the bottom up; a module may import its own stage and those below, never one above.
STAGES = ("floor", "reading", "cards", "identity", "targets", "building", "top")
FLOOR = {
    "model",
    "records",
    "errors",
    "frozen",
    "text",
    "pairs",
    "spans",
    "safety",
    "entry_points",
}
TOP = {"cli", "arguments", "__main__", "__init__"}


def stage_of(module: str) -> str:
    """Name the stage a module of the package (dotted, without "notes2anki.") belongs to."""
    head = module.split(".")[0]
    if head in STAGES:
        return head
    if head in FLOOR:
        return "floor"
    if head in TOP:
        return "top"
    raise AssertionError(f"notes2anki.{module} is in no stage: add it to one")


def imports_of(path: Path) -> list[tuple[int, str]]:
    """Return the package's modules a file imports (at any depth of its code), with their lines."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "notes2anki":
                found.extend((node.lineno, alias.name) for alias in node.names)
            elif node.module.startswith("notes2anki."):
                found.append((node.lineno, node.module.removeprefix("notes2anki.")))
        elif isinstance(node, ast.Import):
            found.extend(
                (node.lineno, alias.name.removeprefix("notes2anki."))
                for alias in node.names
                if alias.name.startswith("notes2anki.")
            )
    return found


def modules() -> list[Path]:
    """Return every module of the package."""
    return sorted(PACKAGE.rglob("*.py"))


def name_of(path: Path) -> str:
    """Return a module's dotted name inside the package."""
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


@pytest.mark.parametrize("path", modules(), ids=name_of)
def test_no_stage_imports_a_higher_one(path: Path) -> None:
    """A lower stage never imports a higher one: the pipeline reads one way, bottom up."""
    own = STAGES.index(stage_of(name_of(path)))
    upward = [
        f"{path.relative_to(PACKAGE)}:{line} imports notes2anki.{module} ({stage_of(module)})"
        for line, module in imports_of(path)
        if STAGES.index(stage_of(module)) > own
    ]
    assert not upward


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    """The layering check finds an import of a higher stage wherever it is written."""
    module = tmp_path / "sample.py"
    module.write_text(
        "def late() -> None:\n    from notes2anki.building.pipeline import build\n",
        encoding="utf-8",
    )
    assert imports_of(module) == [(2, "building.pipeline")]
    assert stage_of("building.pipeline") == "building"


def test_every_stage_says_what_it_does_and_names_its_entry_point() -> None:
    """Each stage is a package whose docstring says what it does, and which names its entry."""
    for stage in STAGES[1:-1]:
        init = PACKAGE / stage / "__init__.py"
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        module = importlib.import_module(f"notes2anki.{stage}")
        assert module.__all__, stage
        assert all(callable(getattr(module, name)) for name in module.__all__), stage


MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60
MAX_PARAMETERS = 5


def too_big(text: str, where: str) -> list[str]:
    """Name what in a module is over the limits: the module, its functions, their parameters."""
    count = len(text.splitlines())
    found = [f"{where}: {count} lines"] if count > MAX_MODULE_LINES else []
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        lines = (node.end_lineno or node.lineno) - node.lineno + 1
        if lines > MAX_FUNCTION_LINES:
            found.append(f"{where}:{node.lineno} {node.name}: {lines} lines")
        arguments = node.args
        named = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        given = len([one for one in named if one.arg not in ("self", "cls")])
        given += bool(arguments.vararg) + bool(arguments.kwarg)
        if given > MAX_PARAMETERS:
            found.append(f"{where}:{node.lineno} {node.name}: {given} parameters")
    return found


@pytest.mark.parametrize("path", modules(), ids=name_of)
def test_rooms_stay_small(path: Path) -> None:
    """No module over 300 lines, no function over 60, no parameter list over 5."""
    assert not too_big(path.read_text(encoding="utf-8"), name_of(path))


def test_the_size_check_sees_what_is_too_big() -> None:
    body = "".join(f"    x{line} = {line}\n" for line in range(59))
    assert too_big(f"def fits(self, a, b, c, d, e):\n{body}", "sample") == []
    assert too_big(f"def long(a):\n{body}    return x1\n", "sample") == ["sample:1 long: 61 lines"]
    assert too_big("class A:\n    def many(self, a, b, c, d, *e, **f): ...\n", "sample") == [
        "sample:2 many: 6 parameters"
    ]
    assert too_big("x = 1\n" * 301, "sample") == ["sample: 301 lines"]


def test_the_note_the_architecture_follows_is_in_the_seed_as_it_says() -> None:
    """docs/architecture.md follows one note of the seed: its ledger line is what the doc shows."""
    repo = PACKAGE.parent.parent
    doc = (repo / "docs" / "architecture.md").read_text(encoding="utf-8")
    shown = re.search(r'`"(\w+)":(\{"c":…,.*?\})`', doc)
    assert shown is not None
    guid, fields = shown.group(1), json.loads(shown.group(2).replace("…", "0"))
    ledger = json.loads((repo / "notes" / "notes2anki.lock").read_text(encoding="utf-8"))
    kept = ledger["notes"][guid]
    assert {key: kept[key] for key in ("h", "k", "s", "source", "t")} == {
        key: fields[key] for key in ("h", "k", "s", "source", "t")
    }
    line = int(kept["source"].rpartition(":")[2])
    notes = (repo / "notes" / "aws-dva-c01-notes.md").read_text(encoding="utf-8").splitlines()
    assert notes[line - 1] in doc
    assert ledger["sections"][kept["s"]][0] in doc


def test_every_template_the_package_ships_is_in_git() -> None:
    """A template left out of git works here and fails in every fresh clone."""
    repo = PACKAGE.parent.parent
    if not (repo / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(
        ["git", "ls-files", "templates"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.split()
    shipped = sorted(
        path.relative_to(repo).as_posix()
        for path in (repo / "templates").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )
    assert [path for path in shipped if path not in tracked] == []


# What a build loads, read in a fresh process: the libraries of the stages, and the module that
# compiles and writes.
_LOADED = """
import json, sys
from notes2anki.cli import main
code = main(["build", sys.argv[1], "-o", sys.argv[2], "--quiet"])
print(json.dumps([code, sorted(sys.modules)]))
"""
_STAGE_LIBRARIES = {"jinja2", "markdown_it", "genanki", "rapidfuzz", "notes2anki.building.writing"}


def _loaded(notes: Path, out: Path) -> set[str]:
    """Build in a fresh process; return the stage libraries it loaded."""
    ran = subprocess.run(
        [sys.executable, "-c", _LOADED, str(notes), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    code, modules = json.loads(ran.stdout.splitlines()[-1])
    assert code == 0
    return _STAGE_LIBRARIES.intersection(modules)


def test_a_build_that_finds_nothing_changed_loads_none_of_the_stages(tmp_path: Path) -> None:
    """Nothing changed since the last build: the answer comes without Jinja, Markdown or genanki."""
    notes, out = tmp_path / "notes", tmp_path / "dist"
    notes.mkdir()
    (notes / "a.md").write_text("# S3\n\n- Max object size - 5 TB\n", encoding="utf-8")
    assert _loaded(notes, out) == _STAGE_LIBRARIES - {"rapidfuzz"}  # a build from nothing
    assert _loaded(notes, out) == set()
    # A reworded term is a new key: the fact is compared with the note that left.
    (notes / "a.md").write_text("# S3\n\n- Maximum object size - 5 TB\n", encoding="utf-8")
    assert _loaded(notes, out) == _STAGE_LIBRARIES
