# One command for each thing a person wants: `make test` runs every check, `make serve` runs the service.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TESTED := $(VENV)/.installed-test

.PHONY: test lint serve init bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

# the test extras, and Debian's Chromium for the browser tests (apt-get needs root, or sudo)
$(TESTED): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	test -x /usr/bin/chromium || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }
	touch $(TESTED)

## test: install the project with its test extras and run every check (lint, then the tests)
test: $(TESTED)
	$(BIN)/ruff check graph ontology api tests benchmarks
	$(BIN)/python -m pytest

lint: $(TESTED)
	$(BIN)/ruff check graph ontology api tests benchmarks

## init: load the bundled peace-plan graph into the default store (.stancegraph/store)
init: $(STAMP)
	$(BIN)/stancegraph init

## serve: create .venv if needed, install, load the bundled data into .stancegraph/store on first run, and
##        serve the SPARQL endpoint, the REST API and the landing page on http://127.0.0.1:8000
serve: $(STAMP)
	$(BIN)/stancegraph serve

## bench: the benchmark scripts (print tables; not part of `make test`)
bench: $(TESTED)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/ingest_million.py
	$(BIN)/python benchmarks/service_latency.py
	$(BIN)/python benchmarks/render_speed.py

clean:
	rm -rf $(VENV) .stancegraph build dist *.egg-info .pytest_cache
