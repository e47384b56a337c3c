# The README names these targets; .ci/run runs `make ci`.
SHELL := /bin/bash
export SAM_CLI_TELEMETRY := 0
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SAM_VENV := .venv-sam
SAM := $(SAM_VENV)/bin/sam
ARGS ?=
# Lambda runs Python 3.12 on arm64: precompile with a 3.12 interpreter when one is around.
PY312 ?= $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12; do $$p -c '' 2>/dev/null && { command -v $$p || echo $$p; } && break; done)

.PHONY: install run demo test test-fast soak lint typecheck template build bench clean ci

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(SAM_VENV)/.installed:
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install -q --disable-pip-version-check aws-sam-cli==1.170.0
	touch $@

install: $(VENV)/.installed

## One run of the job: embedded SQLite store, console alerts (ARGS="--demo" runs offline).
run: install
	$(PY) handler.py run $(ARGS)

demo: install
	$(PY) handler.py run --demo $(ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy

template: install $(SAM_VENV)/.installed
	$(VENV)/bin/cfn-lint template.yaml
	$(SAM) validate --lint --template template.yaml --region us-east-1

## Everything CI runs: lint, types, template lint, the whole test suite (soak included).
test: install $(SAM_VENV)/.installed lint typecheck template
	SAM_CLI=$(abspath $(SAM)) $(VENV)/bin/pytest -m "not soak"
	$(VENV)/bin/pytest -m soak

test-fast: install
	$(VENV)/bin/pytest -m "not soak and not slow"

soak: install
	$(VENV)/bin/pytest -m soak

build: $(SAM_VENV)/.installed
	$(SAM) build --template template.yaml

bench: install
	$(PY) bench/run.py $(ARGS)

ci: test

# Called by `sam build` (BuildMethod: makefile) with ARTIFACTS_DIR set. Installs arm64 wheels
# for Python 3.12 without Docker, and ships .pyc compiled with unchecked-hash: SAM's zip stamps
# files 1980-01-01, which makes timestamp-checked .pyc stale and doubles import time.
build-WatchFunction:
	$(PYTHON) -m pip install -q --disable-pip-version-check -r requirements.txt \
	  --target "$(ARTIFACTS_DIR)" --platform manylinux2014_aarch64 --implementation cp \
	  --python-version 3.12 --only-binary=:all: --upgrade --no-warn-conflicts
	cd "$(ARTIFACTS_DIR)" && rm -rf boto3 botocore s3transfer boto3-* botocore-* s3transfer-* bin
	cp -r handler.py scraper alerts watchlist.yaml "$(ARTIFACTS_DIR)/"
	rm -rf "$(ARTIFACTS_DIR)"/scraper/demo_feeds
	find "$(ARTIFACTS_DIR)" -name __pycache__ -type d -prune -exec rm -rf {} +
	@if [ -n "$(PY312)" ]; then \
	  $(PY312) -m compileall -q -j 0 --invalidation-mode unchecked-hash "$(ARTIFACTS_DIR)"; \
	else echo "warning: no python3.12 found; the package ships without .pyc (slower cold start)"; fi

# The worker (scale-out over SQS) ships the same package as the scheduled function.
build-WorkerFunction: build-WatchFunction

clean:
	rm -rf .aws-sam .pytest_cache .mypy_cache .ruff_cache
