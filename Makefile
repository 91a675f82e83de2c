# puter-python-sdk: every target works from a fresh clone with only Python and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PY := $(BIN)/python
TYPED_PATHS := puter puter_client codegen tests examples bench

.PHONY: venv generate check-generated lint format typecheck check-fast test suite test-long demo bench emulator clean docs

# Python caches compiled modules (and pytest its rewritten test modules) unless
# PYTHONDONTWRITEBYTECODE is set; some machines set it, which makes every worker and every
# CLI subprocess of the suite compile the project again. Targets here always cache.
export PYTHONDONTWRITEBYTECODE :=

# The suite runs on every core (pytest-xdist), with one worker more than the cores: a
# worker waiting on a socket or a child process leaves its core to the others. Each
# worker has its own emulators (free ports), temporary folders and config directories,
# so no test needs the machine alone. PYTEST_WORKERS=N chooses.
WORKERS := $(shell $(PYTHON) -c 'import os; print((os.cpu_count() or 1) + 1)')
PYTEST_PARALLEL := $(PY) -m pytest -q -n $(or $(PYTEST_WORKERS),$(WORKERS))

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,emulator,cli]'
	@touch $(STAMP)

generate: $(STAMP)
	$(PY) -m codegen

check-generated: $(STAMP)
	$(PY) -m codegen --check

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: $(STAMP)
	$(BIN)/mypy $(TYPED_PATHS)

check-fast: lint typecheck check-generated

# Every check: the static ones and the docs build run beside the suite rather than before
# it (they use the cores its workers leave idle while they wait on sockets and child
# processes); make waits for all of them and fails if any failed.
test: $(STAMP)
	@$(MAKE) --no-print-directory -j check-fast docs suite

suite: $(STAMP)
	$(PYTEST_PARALLEL)

# The same suite with Hypothesis's nightly profile (ten times the examples).
test-long: $(STAMP)
	HYPOTHESIS_PROFILE=nightly $(PYTEST_PARALLEL)

# The documentation site (mkdocs.yml) into build/site; any warning fails it.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

demo: $(STAMP)
	$(PY) -m examples.demo

bench: $(STAMP)
	$(PY) -m bench

emulator: $(STAMP)
	$(PY) -m puter_client.emulator $(ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis build dist
