# Newsdesk: `make run` serves the demo site, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
NEWSDESK := $(BIN)/newsdesk
HOST ?= 127.0.0.1
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_ARGS ?=
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/1
TEST_SERVICES_ENV := NEWSDESK_DATABASE_URL=$(TEST_DATABASE_URL) NEWSDESK_REDIS_URL=$(TEST_REDIS_URL)

.PHONY: help install install-test system-deps run serve worker test test-services lint format bench clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -c requirements.lock -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test]'
	touch $(VENV)/.installed $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed ## Create the virtual environment and install Newsdesk

install-test: $(VENV)/.installed-test system-deps node_modules/.installed ## Install test tools too

system-deps: ## Debian packages the tests need (Chromium, Java for the HTML checker, Node, Varnish)
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium fonts-dejavu-core"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v varnishd >/dev/null || missing="$$missing varnish"; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
		$(SUDO) apt-get update && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $$missing; \
	fi

run: install ## Install, migrate, load the demo, print the admin login, serve on HOST:PORT
	$(NEWSDESK) migrate --noinput
	$(NEWSDESK) collectstatic --noinput --verbosity 0
	$(NEWSDESK) demo
	NEWSDESK_BASE_URL=$${NEWSDESK_BASE_URL:-http://$(HOST):$(PORT)} $(NEWSDESK) ensure_admin
	$(NEWSDESK) serve --host $(HOST) --port $(PORT) --with-worker

test: install-test ## Run the whole suite on the embedded default, plus lint and format checks
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(NEWSDESK) makemigrations --check --dry-run
	$(BIN)/pytest -m "not services" $(PYTEST_ARGS)

test-services: install-test ## The same suite against PostgreSQL and Redis, plus multi-process tests
	@command -v pg_dump >/dev/null || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends postgresql-client; }
	@command -v redis-server >/dev/null || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends redis-server; }
	# Chromium tests check what readers' browsers do with our HTML, the same on either backend:
	# `make test` runs them; here every other test runs against PostgreSQL and Redis.
	$(TEST_SERVICES_ENV) $(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

$(VENV)/.installed-bench: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test,bench]'
	touch $@

bench: install-test $(VENV)/.installed-bench ## Run every benchmark behind BENCHMARKS.md (long: builds 1M-article sites; needs wrk, nginx, PostgreSQL, Redis)
	@command -v wrk >/dev/null && command -v nginx >/dev/null || { $(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends wrk nginx; }
	$(BIN)/python benchmarks/servers.py
	$(BIN)/python benchmarks/reading.py --backend embedded
	$(BIN)/python benchmarks/reading.py --backend services
	$(BIN)/python benchmarks/freshness.py --backend services
	$(BIN)/python benchmarks/editorial.py
	$(BIN)/python benchmarks/readership.py
	$(BIN)/python benchmarks/syndication.py
	$(BIN)/python benchmarks/scale.py

lint: install-test ## Lint
	$(BIN)/ruff check .

format: install-test ## Format the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) node_modules var static_collected media newsdesk.sqlite3*
