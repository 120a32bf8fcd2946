# CEPA Registry. `make run` serves the application; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CEPA := $(BIN)/cepa
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run prepare test test-replica lint typecheck bench browser-deps messages gettext clean

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

AXE := node_modules/axe-core/axe.min.js

# Browser tests drive Debian's Chromium (never a downloaded browser) and inject axe-core from npm.
browser-deps: $(AXE)
	@{ test -x /usr/bin/chromium && test -d /usr/share/fonts/opentype/noto; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "Install Debian's chromium and fonts-noto-cjk to run the browser tests"; fi; }

$(AXE):
	npm install --silent --no-package-lock --no-audit --no-fund

test: install browser-deps
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src
	$(BIN)/mypy src
	$(BIN)/lint-imports

LOCALES := zh_Hant zh_Hans

# Django's makemessages and compilemessages need GNU gettext (the tests do not: they read the catalogues
# with polib).
gettext:
	@command -v msgfmt >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	  else echo "Install GNU gettext to extract and compile the translations"; exit 1; fi; }

## Extract the UI strings into src/cepa/locale/*/LC_MESSAGES/django.po and compile the .mo files.
## Translate what is new in the .po files, then run it again; commit both.
messages: install gettext
	cd src/cepa && $(abspath $(CEPA)) makemessages $(addprefix -l ,$(LOCALES)) --no-obsolete --ignore '*/tests/*'
	cd src/cepa && $(abspath $(CEPA)) compilemessages

## `make bench`; `make bench BENCH="--http"` adds the HTTP part (granian, pages and API beside bare ninja).
BENCH ?=
bench: install
	$(BIN)/python -m cepa.bench $(BENCH)

clean:
	rm -rf $(VENV) data/*.sqlite3* .pytest_cache .mypy_cache .ruff_cache

## The replica router against a throwaway PostgreSQL primary with a streaming replica (.ci/pg-replica.sh).
test-replica: install
	@set -e; cluster=$$(.ci/pg-replica.sh start); eval "$$cluster"; \
	trap '.ci/pg-replica.sh stop "$$CEPA_PG_REPLICA_DIR"' EXIT; \
	DATABASE_URL="postgres://postgres@127.0.0.1:$$CEPA_PG_PRIMARY_PORT/cepa_replica" \
	DATABASE_REPLICA_URLS="postgres://postgres@127.0.0.1:$$CEPA_PG_REPLICA_PORT/cepa_replica" \
	$(BIN)/pytest src/cepa/ops/tests/test_router.py src/cepa/ops/tests/test_streaming_replica.py
