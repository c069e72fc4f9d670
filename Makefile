# Chapterwise: `make run` serves the demo course, `make test` runs the whole suite.
# Everything a fresh Debian machine lacks is installed here, never by hand.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Debian packages the project needs: a browser for the browser tests, a PostgreSQL server
# for the second test run, a Redis server for the several-nodes tests (started and stopped by
# the tests themselves), fonts for certificate PDFs (DejaVu; WenQuanYi for CJK names), GNU
# gettext for the translation catalogues.
DEBIAN_PACKAGES := chromium postgresql redis-server fonts-dejavu-core fonts-wqy-zenhei gettext
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: assets help run serve worker migrate secret-key test test-postgres test-sqlite lint fmt bench system setup clean python-check messages lock

help:
	@echo "make run    set up, load the demo course, serve on 127.0.0.1:$(PORT)"
	@echo "make test   set up and run the whole suite (PostgreSQL, then SQLite)"
	@echo "make serve  gunicorn with DJANGO_DEBUG=0 · make migrate · make worker · make messages · make lock · make bench · make lint · make fmt · make clean"

python-check:
	@v=$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo none); \
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null || { \
		echo "Chapterwise needs Python ≥ 3.12 (found $$v): install python3.13 (pyenv install 3.13, or your distribution's python3.13) or run make PYTHON=python3.13 ..."; \
		exit 1; }

# constraints.txt holds the exact version of every Python package (pyproject.toml says what the
# project needs, as ranges): a clean clone, CI included, installs what was tested. After a
# change to pyproject.toml's dependencies, `make lock` resolves them afresh.
$(VENV)/.stamp: pyproject.toml constraints.txt | python-check
	@# A venv left over from an older Python is rebuilt rather than reused.
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null || { rm -rf $(VENV); $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

lock: python-check
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet -e '.[dev]'
	{ echo "# Exact versions for make setup (pip constraints). Regenerate with make lock."; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable; } > constraints.txt
	rm -rf .lock-venv

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The site's and the admin's stylesheets: Bootstrap's Sass sources with our design tokens
# (assets/scss), built with npm's sass into assets/build (not committed).
SASS_FLAGS := --no-source-map --style=compressed --load-path=node_modules --quiet-deps \
	--silence-deprecation=import,global-builtin,color-functions,if-function
STYLESHEETS := assets/build/chapterwise.css assets/build/admin.css
assets/build/%.css: assets/scss/%.scss assets/scss/_*.scss node_modules/.stamp
	@mkdir -p assets/build
	node_modules/.bin/sass $(SASS_FLAGS) $< $@

assets: $(STYLESHEETS)

# Compiled catalogues are built here, never committed: one .mo per .po, when it changes.
CATALOGUES := $(wildcard locale/*/LC_MESSAGES/django.po)
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	msgfmt --check -o $@ $<

setup: $(VENV)/.stamp node_modules/.stamp $(STYLESHEETS) $(CATALOGUES:.po=.mo)

# After marking new strings: regenerate the catalogues (then translate what is new).
messages: system $(VENV)/.stamp
	$(PY) manage.py catalogues
	$(MAKE) $(CATALOGUES:.po=.mo)

# Installs only what is missing, so a second run costs a dpkg query.
define apt_ensure
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		command -v apt-get >/dev/null || { echo "Install these packages first:" $$missing; exit 1; }; \
		echo "Installing Debian packages:" $$missing; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

system:
	$(call apt_ensure,$(DEBIAN_PACKAGES))

var/credential-signing-key.pem: | $(VENV)/.stamp
	$(PY) manage.py generate_signing_key

database: setup var/credential-signing-key.pem
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --if-empty

run: system database
	PORT=$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production-like: DEBUG off, collected static files through WhiteNoise, the cache in
# var/cache shared by the workers and by commands, a secret key kept in var/ when none is given.
# On SQLite (one node) it migrates itself; on PostgreSQL the release step (make migrate) runs
# once before the nodes, and a node refuses to start on an unmigrated database. Meant to sit
# behind a TLS proxy (secure cookies); set DJANGO_SECURE_SSL_REDIRECT=1 there.
serve: system setup var/credential-signing-key.pem secret-key
	export DJANGO_DEBUG=0 PORT=$(PORT) \
		DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat var/secret-key 2>/dev/null)}" \
		DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-0}"; \
	case "$${DATABASE_URL:-sqlite}" in \
		sqlite*) $(PY) manage.py migrate --noinput; $(PY) manage.py load_demo --if-empty ;; \
		*) $(PY) manage.py migrate --check >/dev/null 2>&1 || { echo "make serve: the database needs migrating: run the release step (make migrate) once, then start the nodes"; exit 1; } ;; \
	esac; \
	$(PY) manage.py collectstatic --noinput --verbosity 0; \
	exec $(VENV)/bin/gunicorn -c config/gunicorn.conf.py

# The background worker for several nodes (DJANGO_TASKS=database on every node).
worker: setup
	DJANGO_TASKS=database exec $(PY) manage.py worker

# Release step for several nodes: migrations and the demo, once, before nodes start.
migrate: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --if-empty

# A key generated on this machine suits one SQLite node only: nodes sharing a PostgreSQL
# database must share DJANGO_SECRET_KEY, or a session from one is invalid on the other.
secret-key:
	@if [ -z "$${DJANGO_SECRET_KEY:-}" ]; then \
		case "$${DATABASE_URL:-sqlite}" in \
			sqlite*) [ -f var/secret-key ] || { mkdir -p var && umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret-key; } ;; \
			*) echo "make serve: set DJANGO_SECRET_KEY (the same on every node) to serve from $${DATABASE_URL%%:*}"; exit 1 ;; \
		esac; \
	fi

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

fmt: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: system setup lint test-postgres test-sqlite

test-postgres: system setup
	scripts/with-postgres.sh $(VENV)/bin/pytest -q -p no:cacheprovider

test-sqlite: setup
	env -u DATABASE_URL $(VENV)/bin/pytest -q -p no:cacheprovider

bench: system setup
	$(call apt_ensure,wrk)
	$(PY) bench/run.py
	$(PY) bench/big_data.py
	$(PY) bench/chapter_size.py
	$(PY) bench/overview_size.py
	$(PY) bench/report_bench.py

clean:
	rm -rf $(VENV) node_modules staticfiles test-artifacts .pytest_cache .ruff_cache locale/*/LC_MESSAGES/*.mo
