# Two commands for a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# test-postgres uses DATABASE_URL when set, else the local CI database.
POSTGRES_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/test)
PYTEST_ARGS ?=
# Extra options for ventanilla/demo.py, e.g. DEMO_ARGS="--cases 500".
DEMO_ARGS ?=

.PHONY: demo dev test test-postgres install assets messages migrate serve bench clean prod-local

$(BIN)/ventanilla: requirements.txt requirements-dev.txt pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt -e .
	touch $@

install: $(BIN)/ventanilla

# Front-end assets (design system CSS, map library, axe-core for the accessibility tests) from npm.
assets: assets/build/.built
assets/build/.built: assets/package.json assets/package-lock.json assets/build.sh $(wildcard assets/src/*)
	cd assets && npm ci --no-audit --no-fund --loglevel=error && ./build.sh
	touch $@

messages: install
	DEBUG=1 $(BIN)/ventanilla compilemessages --ignore=.venv --ignore=node_modules -v0

migrate: install
	DEBUG=1 $(BIN)/ventanilla migrate --noinput -v0

# The demo as production serves it (DEBUG off, DEMO on, uvicorn, compressed static files): ventanilla/demo.py
# writes .env, migrates, collects static files, loads the demo data, then serves (with the background worker:
# outbox and periodic jobs, no broker) and prints what to open.
demo: install assets messages
	$(BIN)/python -m ventanilla.demo --port $(PORT) $(DEMO_ARGS)

# Development: Django's auto-reloading server with DEBUG on (tracebacks, uncompressed static files).
dev: install assets messages migrate
	DEBUG=1 $(BIN)/ventanilla runserver 127.0.0.1:$(PORT)

test: install assets messages
	VENTANILLA_TESTING=1 $(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

test-postgres: install assets messages
	VENTANILLA_TESTING=1 DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var assets/node_modules assets/build staticfiles

# The production topology on this machine (docs/deploy.md): gunicorn + uvicorn workers, Celery worker and
# beat, the local PostgreSQL and Redis. PORT defaults to 8160 here; DATABASE_URL / REDIS_URL override.
prod-local: install assets messages
	$(BIN)/python deploy/prod_local.py
