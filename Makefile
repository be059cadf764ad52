# One command for each thing a person wants: `make test` runs every check, `make serve` runs the service.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: test lint unit serve init bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium)
	touch $(STAMP)

## test: install the project with its test extras and run every check (lint, then the tests)
test: $(STAMP)
	$(BIN)/ruff check graph ontology api tests benchmarks
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check graph ontology api tests benchmarks

## init: load the bundled peace-plan graph into the default store (.stancegraph/store)
init: $(STAMP)
	$(BIN)/stancegraph init

## serve: create .venv if needed, install, load the bundled data into .stancegraph/store on first run, and
##        serve the SPARQL endpoint, the REST API and the landing page on http://127.0.0.1:8000
serve: $(STAMP)
	$(BIN)/stancegraph serve

## bench: the benchmark scripts (print tables; not part of `make test`)
bench: $(STAMP)
	$(BIN)/python benchmarks/ingest_million.py
	$(BIN)/python benchmarks/service_latency.py
	$(BIN)/python benchmarks/render_speed.py

clean:
	rm -rf $(VENV) .stancegraph build dist *.egg-info .pytest_cache
