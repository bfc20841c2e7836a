# asinan-hub — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LOCK   := requirements.lock
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | cksum | cut -d' ' -f1)
WEB    := web/static/dist/.built

.PHONY: run test check lint types pytest deps web bench soak lock clean

# Every dependency comes from the lock file, pinned and hash-checked; the project itself last.
$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install -q --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

$(WEB): web/package.json web/package-lock.json web/build.mjs $(wildcard web/src/*.js web/src/*.css web/static/*.css)
	cd web && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build
	touch $@

web: $(WEB)

## Serve the demo on http://127.0.0.1:8000 (SQLite under ./var, no Redis needed).
run: $(STAMP) $(WEB)
	$(BIN)/asinan-hub migrate
	$(BIN)/asinan-hub demo
	LOG_FORMAT=$${LOG_FORMAT:-text} $(BIN)/asinan-hub serve

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

## 10 minutes at 70 % of (a)'s max rate, on SQLite then PostgreSQL + Redis → docs/soak.md.
soak: $(STAMP) $(WEB) deps
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	$(BIN)/python -m bench.soak

## Re-pin requirements.lock after changing dependencies in pyproject.toml.
lock:
	test -x $(VENV)-tools/bin/pip-compile || \
		{ $(PYTHON) -m venv $(VENV)-tools && $(VENV)-tools/bin/pip install -q 'pip-tools>=7.4,<8'; }
	$(VENV)-tools/bin/pip-compile -q --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links --extra dev -o $(LOCK) pyproject.toml

clean:
	rm -rf $(VENV) $(VENV)-tools web/node_modules web/static/dist var
