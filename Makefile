# Two commands set everything up on a fresh machine (Python 3.11+, Node/npm), and a third
# runs production mode:
#   make run   - the product on its embedded default at http://127.0.0.1:8000
#   make test  - the whole test suite
#   make serve - production mode against PostgreSQL + Redis (README, "Production")
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WS_PORT ?= 8001

.PHONY: run run-wecom serve serve-manage test install lint format bench worker beat clean

$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The phone pages' stylesheet and bundled modules (frontend/build.mjs): rebuilt when a source changes.
PHONE_SOURCES := $(wildcard static/mobile/* frontend/*) $(shell find templates/mobile -name '*.html')
build/phone/.built: node_modules/.installed $(PHONE_SOURCES)
	node frontend/build.mjs

install: $(BIN)/.installed node_modules/.installed build/phone/.built

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --records $(SEED_ARGS)
	$(BIN)/python manage.py check
	@# One ASGI process (uvicorn, reloading on code changes) serves the pages, the static files and
	@# the console's websocket (/ws/console/, the in-memory channel layer). Without REDIS_URL there
	@# is no broker: the escalation pass and the outbox sweep run beside it and stop with it. With
	@# REDIS_URL run `make worker` and `make beat` instead.
	@if [ -z "$$REDIS_URL" ]; then \
		$(BIN)/python manage.py escalation_loop & loop=$$!; \
		trap 'kill $$loop 2>/dev/null' EXIT INT TERM; \
		$(BIN)/uvicorn lightapps.asgi:application --host $(HOST) --port $(PORT) --reload --reload-dir lightapps --reload-dir templates --lifespan off; \
	else \
		$(BIN)/uvicorn lightapps.asgi:application --host $(HOST) --port $(PORT) --reload --reload-dir lightapps --reload-dir templates --lifespan off; \
	fi

# The WeCom login path locally: a fake WeCom on 127.0.0.1:$(WECOM_FAKE_PORT) with the demo people
# as its contacts (signed in as WECOM_FAKE_USER), and the product configured against it. Open
# http://$(HOST):$(PORT)/m/ with a WeCom user agent (or /login/) to go through OAuth.
WECOM_FAKE_PORT ?= 8011
WECOM_FAKE_USER ?= jny_grid
run-wecom: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --records
	rm -f $(VENV)/wecom-fake.env
	$(BIN)/python manage.py fake_wecom --port $(WECOM_FAKE_PORT) --user $(WECOM_FAKE_USER) --env-file $(VENV)/wecom-fake.env & \
	  FAKE=$$!; trap 'kill $$FAKE' EXIT INT TERM; \
	  for i in $$(seq 60); do [ -s $(VENV)/wecom-fake.env ] && break; sleep 0.5; done; \
	  set -a; . ./$(VENV)/wecom-fake.env; set +a; \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production mode on this machine (deploy/serve.sh): the Procfile's web (gunicorn, $(PORT)), ws
# (uvicorn, $(WS_PORT)), Celery worker and beat under honcho, against DATABASE_URL and REDIS_URL
# (defaults: the local PostgreSQL database `lightapps`, Redis db 0). SEED_DEMO=1 adds the demo data.
serve: install
	HOST=$(HOST) WEB_PORT=$(PORT) WS_PORT=$(WS_PORT) bash deploy/serve.sh

# manage.py with the settings of `make serve`, e.g. make serve-manage ARGS=createsuperuser
serve-manage: install
	HOST=$(HOST) WEB_PORT=$(PORT) WS_PORT=$(WS_PORT) bash deploy/serve.sh manage $(ARGS)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Style, then the architecture contract (pyproject.toml, [tool.importlinter]).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# With REDIS_URL set: the Celery worker and beat as their own processes.
worker: install
	$(BIN)/celery -A lightapps worker --loglevel=INFO

beat: install
	$(BIN)/celery -A lightapps beat --loglevel=INFO

clean:
	rm -rf $(VENV) node_modules build staticfiles .pytest_cache .ruff_cache

# Figures as ratios against baselines measured in the same run. Every bench runs; the target
# fails when any of them missed a bound (validation, ingest, lists).
bench: install
	@status=0; \
	for b in export validation grids phone_page ingest lists; do \
	  $(BIN)/python bench/$$b.py || status=1; \
	done; exit $$status
