# asinan-hub — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
WEB    := web/static/dist/.built

.PHONY: run test check lint types pytest deps web bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

$(WEB): web/package.json web/package-lock.json web/build.mjs $(wildcard web/src/*.js)
	cd web && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build
	touch $@

web: $(WEB)

## Serve the demo on http://127.0.0.1:8000 (SQLite under ./var, no Redis needed).
run: $(STAMP) $(WEB)
	$(BIN)/asinan-hub migrate
	$(BIN)/asinan-hub demo
	$(BIN)/asinan-hub serve

## Install what the tests need (Redis, coturn, Chromium, PostgreSQL) where missing.
deps:
	bash scripts/install-deps.sh

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

types: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) $(WEB) deps
	$(BIN)/pytest --cov=hub --cov=chat --cov=signaling --cov=notifications --cov-report=term:skip-covered

## Everything CI runs: format, lint, types, the whole suite.
test: lint types pytest

bench: $(STAMP) $(WEB) deps
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) web/node_modules web/static/dist var
