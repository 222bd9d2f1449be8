# Two commands on a fresh machine: `make run` and `make test`.
# Everything they need is set up here: the virtualenv, the pinned dependencies,
# the database schema and the catalogue. Re-running any target is safe and quick.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test serve bench mutate setup migrate catalogue lint format lock clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The stamp is rebuilt only when a lock file changes.
$(VENV)/.installed: requirements.lock requirements-dev.lock | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.lock
	touch $@

setup: $(VENV)/.installed

migrate: setup
	$(PY) manage.py migrate --no-input

catalogue: migrate
	$(PY) manage.py load_catalogue

# SITE_URL: absolute links (open data, feed, sitemap, API, mail) name where it is served.
run: catalogue
	SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}" $(PY) manage.py runserver $(HOST):$(PORT)

# axe-core for the accessibility tests (skipped, with the reason, where npm is missing).
node_modules/.installed: package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the accessibility tests will be skipped"; fi

test: catalogue node_modules/.installed
	$(PY) manage.py check
	$(BIN)/pytest $(PYTEST_ARGS)

# Production mode on this machine: PostgreSQL, DEBUG off, hashed compressed static files,
# nginx buffering requests in front of gunicorn (deploy/serve.py). Plain http on localhost
# only (LOCAL_HTTP), so open http://localhost:8000.
SERVE_DATABASE_URL ?= postgres://roadmap:roadmap@127.0.0.1:5432/roadmap
serve: setup
	@command -v nginx >/dev/null || (apt-get update -qq && apt-get install -y -qq nginx)
	@test -f .serve-secret || $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > .serve-secret
	export DEBUG=false LOCAL_HTTP=true DATABASE_URL="$(SERVE_DATABASE_URL)" \
	  SECRET_KEY="$$(cat .serve-secret)" ALLOWED_HOSTS="localhost,127.0.0.1" \
	  SITE_URL="http://localhost:$(PORT)"; \
	$(PY) manage.py migrate --no-input && \
	$(PY) manage.py collectstatic --no-input -v 0 && \
	$(PY) manage.py load_catalogue && \
	$(PY) deploy/serve.py

# Benchmarks (see docs/benchmarks.md): gunicorn on PostgreSQL, loaded by wrk from a second process.
BENCH_ARGS ?=
bench: setup
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) bench/run.py $(BENCH_ARGS)

# Mutation scores (docs/development.md): each module listed under [tool.roadmap.mutate] in
# pyproject.toml against its own tests; MODULES="roadmap/path.py" for one, SURVIVORS=1 to
# print each surviving mutant's diff.
MODULES ?=
mutate: setup
	$(PY) tests/mutate.py $(if $(SURVIVORS),--survivors) $(MODULES)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the exact pins from pyproject.toml (needs network access to the package index).
lock: setup
	$(PY) -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements-dev.lock

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .serve-secret
