# Turbine — `make run` sets everything up and serves http://127.0.0.1:8000 ; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2
# Typed with django-stubs: every app's services and selectors (STYLE.md, habit 11), and the core
# modules they lean on; the modules they import are read for their types, not reported on.
MYPY_PATHS := $(wildcard turbine/*/services.py turbine/*/selectors.py turbine/*/services/*.py \
	turbine/*/selectors/*.py) turbine/core/search.py turbine/core/exceptions.py turbine/core/web.py \
	turbine/core/images.py turbine/core/http.py turbine/core/badges.py turbine/core/form_extensions.py \
	turbine/label/scoring.py turbine/label/scores.py

MESSAGES := turbine/locale/fr/LC_MESSAGES
LOCK_TARGET := --python-version 3.11 --python-platform x86_64-unknown-linux-gnu --quiet

.PHONY: run setup install lock test test-sqlite test-postgresql lint format bench chromium pdf-libs gettext messages clean

# The exact versions of every dependency, direct and transitive, come from the locks (`make lock`
# writes them from pyproject.toml: requirements.lock for production, requirements-dev.lock with
# the tools of development on top); Turbine itself is installed over them, without deps.
$(VENV)/.installed: pyproject.toml requirements-dev.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

# After changing a dependency in pyproject.toml: resolve and pin the whole tree again.
lock:
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet uv==0.9.30
	$(VENV)/bin/uv pip compile pyproject.toml $(LOCK_TARGET) -o requirements.lock
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev -c requirements.lock $(LOCK_TARGET) \
		-o requirements-dev.lock

install: $(VENV)/.installed $(MESSAGES)/django.mo pdf-libs

# Debian's gettext gives msgfmt (compilemessages) and msgen.
gettext:
	@command -v msgfmt >/dev/null 2>&1 || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q gettext; }

# The French catalogue, compiled (and committed) so that Django's own translations never leak in.
$(MESSAGES)/django.mo: $(MESSAGES)/django.po | $(VENV)/.installed
	@$(MAKE) --no-print-directory gettext
	$(PY) manage.py compilemessages -l fr

# After adding or changing user-facing strings: gather them; the source is French (msgstr = msgid,
# never a fuzzy guess of msgmerge).
messages: $(VENV)/.installed gettext
	$(PY) manage.py makemessages -l fr --no-obsolete --add-location=file \
		-i ".venv/*" -i "var/*" -i "bench/*" -i "*/tests/*"
	msgattrib --clear-fuzzy --empty --clear-previous --no-obsolete -o $(MESSAGES)/django.po $(MESSAGES)/django.po
	msgen --force-po -o $(MESSAGES)/django.po $(MESSAGES)/django.po
	sed -i '/^"POT-Creation-Date: /d' $(MESSAGES)/django.po
	$(PY) manage.py compilemessages -l fr

setup: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py import_territory
	$(PY) manage.py load_perimeters
	$(PY) manage.py seed_demo

run: setup
	@echo "Turbine : http://$(HOST):$(PORT)/"
	$(PY) manage.py runserver $(HOST):$(PORT)

# Debian's Chromium drives the browser tests (never `playwright install`).
chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }

# Debian's Pango (and HarfBuzz) for WeasyPrint, which renders the yearly report and the officials'
# briefings as PDF; poppler-utils to read a PDF (pdftotext, in the tests too).
pdf-libs:
	@ldconfig -p | grep -q libpangoft2-1.0 && command -v pdftotext >/dev/null 2>&1 || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils; }

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy $(MYPY_PATHS)
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test-sqlite: install chromium pdf-libs
	env -u DATABASE_URL $(VENV)/bin/pytest -n $(PYTEST_WORKERS) -q

test-postgresql: install chromium pdf-libs
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== PostgreSQL: $$TEST_DATABASE_URL"; \
		DATABASE_URL="$$TEST_DATABASE_URL" TURBINE_PAGE_SCREENSHOTS=0 $(VENV)/bin/pytest -n $(PYTEST_WORKERS) -q; \
	else echo "== TEST_DATABASE_URL is not set: the PostgreSQL run is skipped"; fi

test: lint test-sqlite test-postgresql

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var
