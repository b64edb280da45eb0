# Thin aliases over real commands. `make deck` and `make test` set up .venv on their own.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: deck test lint check bench sweep preview chromium clean

deck: $(RUN_STAMP)
	$(BIN)/python build_deck.py

test: $(TEST_STAMP) chromium
	$(BIN)/python -m pytest

sweep: $(TEST_STAMP) chromium
	$(BIN)/python -m pytest -m full_sweep tests/test_safety.py

preview: $(RUN_STAMP)
	$(BIN)/python -m notes2anki preview

chromium:
	@scripts/ensure-chromium

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench build_deck.py
	$(BIN)/ruff format --check src tests bench build_deck.py
	$(BIN)/mypy

check: lint test

bench: $(TEST_STAMP)
	$(BIN)/python bench/seed_build.py
	$(BIN)/python -m bench.scale
	$(BIN)/python -m bench.history
	$(BIN)/python -m bench.synced

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(RUN_STAMP)

clean:
	rm -rf $(VENV) dist build preview *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
