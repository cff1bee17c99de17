# ZiO Persona's — the two commands a newcomer needs:
#   make run    set everything up and serve the app with demo data on http://127.0.0.1:8000
#   make test   set everything up and run the whole suite on SQLite, then on PostgreSQL
# Both work on a fresh Debian machine as root (or with sudo), with only the package registries.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
REQUIREMENTS := requirements/base.txt requirements/dev.txt

# Debian packages: the browser for browser tests, Java for the HTML validator, gettext for
# translations, Pango for WeasyPrint's PDFs, poppler and LibreOffice to read exports back.
DEBIAN_PACKAGES := chromium chromium-driver default-jre-headless gettext fonts-dejavu-core \
	libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils \
	libreoffice-writer-nogui libreoffice-calc-nogui

# The Nu HTML Checker (W3C validator) for the HTML-validity checks in browser tests.
VNU_VERSION := 26.9.27
VNU_JAR := .cache/vnu-$(VNU_VERSION)/vnu.jar
export VNU_JAR

# PostgreSQL for the second test run: TEST_DATABASE_URL or DATABASE_URL when set,
# else the local server when one answers.
PG_LOCAL_URL := postgres://root@127.0.0.1:5432/postgres
SQLITE_TEST_URL := sqlite:///:memory:

.PHONY: help
help:
	@echo "make run    - install, migrate, load demo data and serve on http://127.0.0.1:8000"
	@echo "make test   - install and run all checks and tests on SQLite and PostgreSQL"
	@echo "make lint   - ruff (lint and format check) and mypy"
	@echo "make messages - update the English translation file after changing texts"
	@echo "make screenshot - refresh docs/screenshot.png"
	@echo "make bench  - benchmark suite, one table of figures and targets (about 5 minutes)"
	@echo "make load   - load test: 50 users for 60 s against gunicorn and PostgreSQL (locust)"

# --- set-up ---------------------------------------------------------------

$(STAMP): $(REQUIREMENTS)
	@python=$$(scripts/find-python); \
	  if [ ! -x "$(PY)" ]; then echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/base.txt -r requirements/dev.txt
	@touch $(STAMP)

.PHONY: venv
venv: $(STAMP)

.PHONY: system-deps
system-deps:
	@scripts/install-debian-packages $(DEBIAN_PACKAGES)
	@scripts/fetch-vnu $(VNU_JAR) $(VNU_VERSION)

.env:
	@scripts/make-dotenv

# --- run ------------------------------------------------------------------

# What the app itself needs to run (Pango for WeasyPrint's PDFs), without the test tools.
RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

.PHONY: run
run: $(STAMP) .env
	@scripts/install-debian-packages $(RUN_PACKAGES)
	$(PY) manage.py migrate --no-input --verbosity 0
	$(PY) manage.py seed_demo
	@echo ""
	@echo "ZiO Persona's draait op http://127.0.0.1:8000  (stoppen: Ctrl+C)"
	@echo ""
	@# The worker runs background work (large screening imports) beside the web server.
	@$(PY) manage.py db_worker > .worker.log 2>&1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:8000

# --- checks and tests -------------------------------------------------------

.PHONY: lint
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

.PHONY: checks
checks: $(STAMP)
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DEBUG=1 $(PY) manage.py check
	@# Security lint of the product code: no finding of high severity may stand.
	$(VENV)/bin/bandit --quiet --recursive zio config --exclude '*/tests/*' --severity-level high

.PHONY: test-sqlite
test-sqlite: $(STAMP)
	DATABASE_URL=$(SQLITE_TEST_URL) $(PY) -m pytest $(PYTEST_ARGS)

.PHONY: test-postgres
test-postgres: $(STAMP)
	@url="$${TEST_DATABASE_URL:-$${DATABASE_URL:-}}"; \
	if [ -z "$$url" ]; then \
	  if $(PY) scripts/port-open.py 127.0.0.1 5432; then url="$(PG_LOCAL_URL)"; \
	  elif [ "$${CI:-}" = "true" ]; then echo "ERROR: CI=true but no PostgreSQL answers on 127.0.0.1:5432 and no TEST_DATABASE_URL is set." >&2; exit 1; \
	  else echo "SKIPPED: no PostgreSQL found (set TEST_DATABASE_URL to run the suite on PostgreSQL)."; exit 0; fi; \
	fi; \
	DATABASE_URL="$$url" $(PY) -m pytest $(PYTEST_ARGS)

.PHONY: test
test: system-deps $(STAMP) lint checks
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

# --- benchmarks -------------------------------------------------------------

# Neither needs a .env nor writes into the project: each run makes its own database (PostgreSQL
# when one answers, dropped afterwards; else a temporary SQLite file) and secrets.
# BENCH_ARGS="--only rps --write docs/performance.md" picks parts and records the table.
.PHONY: bench
bench: $(STAMP)
	@scripts/install-debian-packages wrk $(RUN_PACKAGES)
	$(PY) bench/run_all.py $(BENCH_ARGS)

# Needs PostgreSQL (DATABASE_URL's server, else 127.0.0.1:5432); fails on any failed request
# or a p95 of 300 ms or more. LOAD_ARGS="--users 20 --time 30s" changes the run.
.PHONY: load
load: $(STAMP)
	$(PY) bench/load.py $(LOAD_ARGS)

# --- maintenance ------------------------------------------------------------

.PHONY: messages
messages: $(STAMP)
	cd zio && DEBUG=1 ../$(PY) ../manage.py makemessages -l en --no-obsolete --add-location file
	cd zio && DEBUG=1 ../$(PY) ../manage.py compilemessages -l en

.PHONY: screenshot
screenshot: $(STAMP)
	DATABASE_URL=$(SQLITE_TEST_URL) $(PY) -m pytest tests/browser/screenshot_docs.py -p no:randomly -q

.PHONY: clean
clean:
	rm -rf $(VENV) staticfiles .mypy_cache .ruff_cache .pytest_cache test-artifacts
