# Essor — `make run` (demo site on http://127.0.0.1:8000; `make run PORT=8080`) and `make test` (the whole suite).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

.PHONY: run test test-fast lint messages bench bench-load clean-demo ralph
SIZE ?= small
PORT ?= 8000

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# Ralph, the LRS the xAPI tests start (tests/xapi/), in its own virtualenv: its pins are not ours.
ralph: .venv-ralph/.installed
.venv-ralph/.installed: requirements-ralph.txt
	$(PYTHON) -m venv .venv-ralph
	.venv-ralph/bin/pip install --quiet -r requirements-ralph.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.run-installed

run: export ESSOR_DEMO ?= 1
run: export PORT := $(PORT)
run: export ESSOR_SITE_URL ?= http://127.0.0.1:$(PORT)
run: $(VENV)/.run-installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py import_content content/ --publish
	$(PY) manage.py search_reindex --if-stale
	$(PY) manage.py seed_demo
	@echo ""
	@echo "Essor is starting on http://127.0.0.1:$(PORT)/  (Ctrl-C stops the web server, the worker and beat)"
	$(BIN)/honcho start -f Procfile -p $(PORT)

# The whole suite in two passes: what runs in one process (the database, eager tasks) on both cores
# (pytest-xdist), then the browser tests and the tests that start a real Celery worker, one at a time
# (they share the broker folder and the machine's two cores with Chromium).
test: $(VENV)/.dev-installed
	$(BIN)/pytest -q -n 2 -m "not browser and not integration" $(PYTEST_ARGS)
	$(BIN)/pytest -q -m "browser or integration" $(PYTEST_ARGS)

# The quick loop: SQLite, no browser and no real worker, on every core (pytest-xdist). `make test` runs everything.
test-fast: $(VENV)/.dev-installed
	$(BIN)/pytest -q -m "not browser and not integration and not postgres" -n auto $(PYTEST_ARGS)

# A fresh demo: deletes the demo database and the demo's files under var/ (uploads, emails, exports, broker queue).
# The secret key and the credentials' signing key stay. `make clean-demo YES=1` does not ask.
DEMO_FILES := var/essor.sqlite3 var/essor.sqlite3-wal var/essor.sqlite3-shm var/media var/mail var/exports var/broker var/celerybeat-schedule*
clean-demo:
	@echo "This deletes the demo database and files: $(DEMO_FILES)"
	@if [ "$(YES)" != "1" ]; then printf "Delete them? [y/N] "; read answer; [ "$$answer" = "y" ] || [ "$$answer" = "Y" ] || { echo "Nothing deleted."; exit 1; }; fi
	rm -rf $(DEMO_FILES)
	@echo "The demo data is deleted. \`make run\` builds a fresh demo."

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

messages: $(VENV)/.dev-installed
	ESSOR_DEMO=1 $(PY) manage.py makemessages -l fr -l zh_Hans -l en --ignore=.venv --ignore=var --ignore=staticfiles --no-obsolete --no-location
	# Sorted by msgid, without source locations: branches that add strings rarely touch the same lines.
	for po in locale/*/LC_MESSAGES/django.po; do msgcat --sort-output --no-location -o $$po $$po && sed -i '/^"POT-Creation-Date:/d' $$po; done
	ESSOR_DEMO=1 $(PY) manage.py compilemessages --ignore=.venv

# Time and query counts of every page the performance work names (bench/run.py): SIZE=small (CI), medium, large;
# SIZE=exports BENCH_ARGS="--only-exports --export-rounds 3 --baseline <commit>": the exports of 2,000 × 40, before/after.
bench: $(VENV)/.dev-installed
	ESSOR_DEMO=1 $(PY) -m bench.run --size $(SIZE) $(BENCH_ARGS)

# Locust against gunicorn on 127.0.0.1, SQLite then PostgreSQL + Redis (bench/load.py; BENCH_LOAD_ARGS="--baseline main").
bench-load: $(VENV)/.dev-installed
	ESSOR_DEMO=1 $(PY) -m bench.load $(BENCH_LOAD_ARGS)
