# Haru ERP — the two commands from the README:
#   make run    set up and start web + worker + beat on the embedded default, with demo data
#   make test   set up and run the whole test suite (uses DATABASE_URL / REDIS_URL when set;
#               HARU_TEST_NOW=2026-12-05T23:30:00+09:00 make test runs it at that moment)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint messages check-deploy clean

$(VENV)/.runtime: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

run: $(VENV)/.runtime
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	@$(PY) manage.py portal_banner --url http://$(HOST):$(PORT)/
	PATH="$(abspath $(VENV))/bin:$$PATH" HARU_HOST=$(HOST) HARU_PORT=$(PORT) honcho start -f Procfile

test: $(VENV)/.dev
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Regenerate and compile the translation catalogs (needs GNU gettext); the compiled
# .mo files are committed so a fresh machine needs no gettext to run the portal.
messages: $(VENV)/.runtime
	$(PY) manage.py makemessages -l ko -l en --ignore=.venv --ignore=tests --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv

check-deploy: $(VENV)/.runtime
	DJANGO_SETTINGS_MODULE=erp.settings.production DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(50))') \
	DJANGO_ALLOWED_HOSTS=erp.example.com $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf var staticfiles .pytest_cache
