# One command for each thing a person wants: `make test` runs every check, `make serve` runs the service.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TESTED := $(VENV)/.installed-test
# the W3C SPARQL 1.1 test suite that tests/api/service/test_w3c_suite.py runs, fetched with the test extras:
# the rdflib source distribution on PyPI carries it under test/data/suites/w3c/sparql11 (pinned, so the suite
# is fixed); only that folder is kept, in build/ (git-ignored: the tests keep their W3C licence and are never
# committed)
W3C_VERSION := 7.6.0
W3C_SDIST   := rdflib-$(W3C_VERSION)
W3C_DIR     := build/w3c-sparql11
W3C         := $(W3C_DIR)/.fetched-$(W3C_SDIST)
W3C_FAILED  := error: could not download rdflib==$(W3C_VERSION) (its source distribution carries the W3C \
SPARQL 1.1 tests that tests/api/service/test_w3c_suite.py runs) from PyPI; check the network and pip's index \
settings, then run make again

# Debian's Virtuoso 7, the second SPARQL server the store tests run on (tests/conftest.py starts its own, on
# loopback, with an ini in a temporary folder). The package would start its own system service on every
# interface (ports 1111 and 8890, default passwords): a policy-rc.d that refuses every start is in place
# during the install (an existing one is put back after), and the service is disabled at boot.
define INSTALL_VIRTUOSO
SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); policy=/usr/sbin/policy-rc.d; saved=$$policy.stancegraph-saved; \
if [ -e $$policy ]; then $$SUDO mv $$policy $$saved; fi; \
trap '$$SUDO rm -f $$policy; if [ -e $$saved ]; then $$SUDO mv $$saved $$policy; fi' EXIT; \
printf '#!/bin/sh\nexit 101\n' | $$SUDO tee $$policy >/dev/null && $$SUDO chmod 755 $$policy && \
$$SUDO apt-get update -qq && \
$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends virtuoso-opensource && \
{ $$SUDO update-rc.d virtuoso-opensource-7 disable >/dev/null 2>&1 || true; }
endef

.PHONY: test lint serve init notebooks bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

# the test extras, the W3C SPARQL tests, Debian's Chromium for the browser tests, Pango for WeasyPrint's PDF
# reports and Debian's Virtuoso for the store tests (apt-get needs root, or sudo)
$(TESTED): $(STAMP) | $(W3C)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	{ test -x /usr/bin/chromium && ldconfig -p | grep -q libpangoft2-1.0; } || \
		{ SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium libpango-1.0-0 libpangoft2-1.0-0; }
	test -x /usr/bin/virtuoso-t || ( $(INSTALL_VIRTUOSO) )
	touch $(TESTED)

$(W3C): | $(BIN)/python
	rm -rf $(W3C_DIR) $(W3C_DIR).download
	$(BIN)/python -m pip download --quiet --no-deps --no-binary :all: --dest $(W3C_DIR).download \
		rdflib==$(W3C_VERSION) || { echo "$(W3C_FAILED)" >&2; exit 1; }
	mkdir -p $(W3C_DIR)
	tar -xzf $(W3C_DIR).download/$(W3C_SDIST).tar.gz -C $(W3C_DIR) --strip-components=6 \
		$(W3C_SDIST)/test/data/suites/w3c/sparql11
	test -f $(W3C_DIR)/manifest-all.ttl || { echo "error: $(W3C_SDIST).tar.gz has no W3C SPARQL 1.1 tests" >&2; exit 1; }
	rm -rf $(W3C_DIR).download
	touch $(W3C)

## test: install the project with its test extras and run every check (lint, format, then the tests)
test: $(TESTED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(TESTED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## init: load the bundled peace-plan graph into the default store (.stancegraph/store)
init: $(STAMP)
	$(BIN)/stancegraph init

## serve: create .venv if needed, install, load the bundled data into .stancegraph/store on first run, and
##        serve the SPARQL endpoint, the REST API and the landing page on http://127.0.0.1:8000
serve: $(STAMP)
	$(BIN)/stancegraph serve

## notebooks: JupyterLab on notebooks/, installed into .venv (the notebooks extra) on first use
notebooks: $(STAMP)
	$(BIN)/python -c "import jupyterlab" 2>/dev/null || $(BIN)/python -m pip install --quiet -e '.[notebooks]'
	$(BIN)/jupyter lab notebooks/ $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

## bench: the benchmark scripts (print tables; not part of `make test`)
bench: $(TESTED)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/ingest_million.py
	$(BIN)/python benchmarks/service_latency.py
	$(BIN)/python benchmarks/render_speed.py
	$(BIN)/python benchmarks/store_analysis_speed.py --rows 100000 1000000

clean:
	rm -rf $(VENV) .stancegraph build dist *.egg-info .pytest_cache
