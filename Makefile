# CEPA Registry. `make run` serves the application; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CEPA := $(BIN)/cepa
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run prepare test lint typecheck bench schemathesis clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] >= (3, 11), "Python 3.11 or newer is needed"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(BIN)/.installed

## Prepare the SQLite database in data/, load the shipped catalogue and the demo registry.
prepare: install
	$(CEPA) migrate --no-input
	$(CEPA) load-reference-data
	$(CEPA) load-demo

run: prepare
	$(CEPA) serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/mypy src

bench: install
	$(BIN)/python -m cepa.bench

clean:
	rm -rf $(VENV) data/*.sqlite3* .pytest_cache .mypy_cache .ruff_cache
