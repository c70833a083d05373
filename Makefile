# 数字化诊断 · Digital diagnosis. `make run` serves the demo; `make test` runs the tests.
VENV ?= .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := diagnosis.settings

.PHONY: run test bench lint format setup db messages clean

# The web server and one task worker (the production path: tasks go through the database
# queue). Ctrl-C, or a signal to the process group, stops both.
run: db
	@export TASKS_BACKEND=django_tasks_db.DatabaseBackend; \
	$(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

setup: $(INSTALLED)

$(INSTALLED): requirements.txt requirements-dev.txt
	@py=$$(bin/find-python) || exit 1; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

db: $(INSTALLED)
	@mkdir -p var
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_questionnaire --publish diagnosis/definitions/smart-manufacturing-v1.yaml
	$(PY) manage.py load_questionnaire --publish diagnosis/definitions/smart-manufacturing-v2.yaml
	$(PY) manage.py seed_demo

# One pytest-xdist worker per core, each with its own test database; TEST_WORKERS=0 runs
# the suite in this process (easier to debug). Work stealing: a worker that runs out takes
# tests queued for the other, so neither sits idle at the end while the other still has a
# queue of slow browser tests. Bytecode and pytest's rewritten test modules are cached even
# where the environment turns that off (PYTHONDONTWRITEBYTECODE): without the cache every
# worker compiles the app and rewrites ~230 test modules again, about 2.5 s each run.
TEST_WORKERS ?= auto

test: $(INSTALLED)
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

bench: db
	@set -e; for script in tests/perf/bench_*.py; do echo "== $$script"; $(PY) $$script; done

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run --no-input
	$(PY) manage.py coverage_table --check
	$(VENV)/bin/mypy

format: $(INSTALLED)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(INSTALLED)
	$(PY) manage.py makemessages -l zh_Hans -l en --no-obsolete --ignore ".venv/*" \
		--ignore "var/*" --ignore "tests/*" --ignore "diagnosis/static/*"
	$(PY) manage.py compilemessages --ignore ".venv/*"

clean:
	rm -rf $(VENV) var
