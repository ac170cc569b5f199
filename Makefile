# Two commands set everything up on a fresh machine (Python 3.11+, Node/npm):
#   make run   - the product on its embedded default at http://127.0.0.1:8000
#   make test  - the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint format bench worker beat clean

$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(BIN)/.installed node_modules/.installed

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# With REDIS_URL set: the Celery worker and beat as their own processes.
worker: install
	$(BIN)/celery -A lightapps worker --loglevel=INFO

beat: install
	$(BIN)/celery -A lightapps beat --loglevel=INFO

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache

bench: install
	$(BIN)/python bench/validation.py
