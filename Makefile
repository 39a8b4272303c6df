# Upphandlingsplan. `make demo` and `make test` are all a newcomer needs (Python 3.11+ and make).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
# The address the demo's mails link to: where it serves, unless SITE_URL is set (a proxy in front, say).
SITE_URL ?= http://$(HOST):$(PORT)
# The demo runs on SQLite with tasks in-process, whatever the shell has set for the real services.
DEMO_ENV = env -u DATABASE_URL -u REDIS_URL SITE_URL=$(SITE_URL)

.PHONY: demo test check lint messages serve clean help bench

help:
	@echo "make demo   install, migrate, load the demo and serve it on http://$(HOST):$(PORT) (SQLite, tasks in-process)"
	@echo "make test   install the test dependencies and run the whole suite"
	@echo "make check  ruff, missing migrations and Django's system checks"
	@echo "make messages  extract and compile the translations (needs GNU gettext)"
	@echo "make bench  the national-scale benchmark on PostgreSQL; writes bench/latest.json and bench/latest.md"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The application's own dependencies (what production runs).
$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# Plus the test tools: pytest, Playwright (driving Debian's /usr/bin/chromium), hypothesis, ruff.
$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-app
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

demo: $(VENV)/.installed-app
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py load_demo
	@echo ""
	@echo "Serving the demo on http://$(HOST):$(PORT)/ (Ctrl-C stops it; mails link to $(SITE_URL))"
	$(DEMO_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check --fail-level WARNING

messages: $(VENV)/.installed-app
	$(BIN)/python manage.py makemessages --locale sv --no-obsolete --ignore ".venv/*" --ignore "tests/*"
	$(BIN)/python manage.py compilemessages --locale sv --ignore ".venv/*"

# The national-scale benchmark (README, "Benchmark"): PostgreSQL at DATABASE_URL's server (default the
# local one), database upphandlingsplan_bench, built once and reused. The load test uses wrk when it is
# there (installed from Debian when running as root), else a small Python load generator.
bench: $(VENV)/.installed-test
	@command -v wrk >/dev/null || [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null \
		|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null) \
		|| echo "wrk could not be installed: the Python load generator is used"
	env -u REDIS_URL $(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles test-artifacts .pytest_cache *.egg-info
