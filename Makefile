# The two commands a newcomer needs:
#   make demo   set up from a fresh clone and run the demo on embedded defaults
#   make test   set up from a fresh clone and run every test
# Everything the project needs is installed by these targets.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSTEM_STAMP := $(VENV)/.system-packages

.PHONY: setup demo test test-fast lint bench bench-reporting clean

setup: $(STAMP) $(SYSTEM_STAMP)

# Debian's chromium (dashboard test) and kubernetes-client's kubectl (kustomize),
# the latter unpacked under .venv/debian; see the script for details.
$(SYSTEM_STAMP): tools/install-system-packages.sh
	tools/install-system-packages.sh $(VENV)/debian
	touch $(SYSTEM_STAMP)

$(STAMP): pyproject.toml tools/asyncapi-validator/package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	npm ci --prefix tools/asyncapi-validator --no-audit --no-fund --loglevel=error
	touch $(STAMP)

demo: setup
	$(BIN)/eocms demo

test: setup
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not slow"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup
	$(BIN)/python -m benchmarks

bench-reporting: setup
	$(BIN)/python -m benchmarks.reporting

clean:
	rm -rf $(VENV) .eocms-data .pytest_cache .ruff_cache .mypy_cache
