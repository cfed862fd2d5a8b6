# Newsroom: `make run` to try it, `make test` to check it. Needs only Python 3.11 and make.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_ENV := DEBUG=1

.PHONY: install run test lint format check messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	scripts/run

check: install
	DJANGO_SETTINGS_MODULE=newsroom.settings.test $(BIN)/python manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=newsroom.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

# The checks of .pre-commit-config.yaml (ruff, djhtml, django-upgrade), from .venv, no network.
lint: install
	scripts/lint

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates
	find . -name '*.py' -not -path './.venv/*' -not -path './.git/*' -print0 | xargs -0 \
	  $(BIN)/django-upgrade --target-version 5.2 --exit-zero-even-if-changed

test: lint check
	$(BIN)/pytest $(PYTEST_ARGS)

.PHONY: e2e
# Only the browser journeys and accessibility checks (tests/e2e/); `make test` runs them too.
e2e: install
	$(BIN)/pytest tests/e2e $(PYTEST_ARGS)
# UI translations (needs GNU gettext): collect new strings into locale/*/django.po, then
# translate them there and run this again to compile the .mo files (both are committed).
messages: install
	DJANGO_SETTINGS_MODULE=newsroom.settings.test $(BIN)/python manage.py makemessages -l ru -l az --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=media --ignore=tests
	DJANGO_SETTINGS_MODULE=newsroom.settings.test $(BIN)/python manage.py compilemessages --ignore=.venv
.PHONY: serve bench

# Production mode on this machine: gunicorn, WhiteNoise static, DEBUG off (scripts/serve).
serve: install
	scripts/serve

# Seed a large newsroom and load-test the production server (docs/performance.md).
# BENCH_STORIES, BENCH_REVIEWS, BENCH_SECONDS and DATABASE_URL choose the run.
bench: install
	scripts/bench
