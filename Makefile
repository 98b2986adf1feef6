# One command per chore, the same locally and in CI.
#   make run    set everything up, build the web app, serve http://127.0.0.1:8765 with demo runs
#   make test   everything: lint, types, unit, integration, both databases, web tests, browser e2e
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMPS := .stamps
WEB_SRC := $(shell find web/src web/index.html web/vite.config.ts web/tsconfig.json -type f 2>/dev/null)
STATIC := src/neuralscope/server/static/index.html

.PHONY: help setup run serve test check lint types web web-test web-fixtures e2e-deps gen-client \
        check-client bench docs clean

help:
	@echo "make run    - install everything, build the web app and serve it with demo runs"
	@echo "make test   - run every check and test (what CI runs)"
	@echo "make check  - lint, format check, mypy, web typecheck + lint, client drift"
	@echo "make gen-client - regenerate web/src/api/schema.gen.ts from the server's OpenAPI"
	@echo "make bench  - run the benchmarks"
	@echo "make docs   - build the documentation site into site/ (needs the e2e screenshots)"

setup: $(STAMPS)/python $(STAMPS)/web

$(STAMPS)/python: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/web: web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@mkdir -p $(STAMPS) && touch $@

web: $(STATIC)

$(STATIC): $(STAMPS)/web $(WEB_SRC)
	cd web && npm run build

run: setup web
	$(BIN)/neuralscope serve --demo

serve: run

check: setup lint types check-client
	cd web && npm run typecheck && npm run lint

lint: $(STAMPS)/python
	$(BIN)/ruff check src tests benchmarks scripts examples
	$(BIN)/ruff format --check src tests benchmarks scripts examples

types: $(STAMPS)/python
	$(BIN)/mypy

build/openapi.json: $(STAMPS)/python $(shell find src/neuralscope -name '*.py')
	@mkdir -p build
	$(BIN)/python -m neuralscope.server.openapi > $@

gen-client: build/openapi.json $(STAMPS)/web
	cd web && npx openapi-typescript ../build/openapi.json -o src/api/schema.gen.ts

check-client: build/openapi.json $(STAMPS)/web
	cd web && npx openapi-typescript ../build/openapi.json -o ../build/schema.check.ts
	@diff -q web/src/api/schema.gen.ts build/schema.check.ts >/dev/null || \
	  { echo "web/src/api/schema.gen.ts is out of date with the server: run 'make gen-client'"; exit 1; }

web-fixtures: $(STAMPS)/python
	$(BIN)/python scripts/web_fixtures.py web/src/test/fixtures

web-test: $(STAMPS)/web web-fixtures
	cd web && npm test

e2e-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

test: check web web-test e2e-deps
	$(BIN)/pytest
	$(MAKE) docs

# The guides show screenshots the browser tests take (test-artifacts/); run them first if missing.
docs: $(STAMPS)/python
	$(BIN)/python scripts/gen_docs.py docs/generated || \
	  { $(BIN)/pytest -q -m e2e && $(BIN)/python scripts/gen_docs.py docs/generated; }
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir site

bench: $(STAMPS)/python
	$(BIN)/python benchmarks/session_overhead.py
	$(BIN)/python benchmarks/watch_overhead.py
	$(BIN)/python benchmarks/analysis_speed.py
	$(BIN)/python benchmarks/decompose_speed.py
	$(BIN)/python benchmarks/boundary_rate.py
	$(BIN)/python benchmarks/search_scaling.py
	$(BIN)/python benchmarks/ws_viewers.py
	$(BIN)/python benchmarks/list_runs_p95.py

clean:
	rm -rf $(STAMPS) build web/node_modules src/neuralscope/server/static
