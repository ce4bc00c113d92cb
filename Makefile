# The two commands a newcomer runs: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

export HF_HUB_OFFLINE=1
export TRANSFORMERS_OFFLINE=1
export HF_HUB_DISABLE_TELEMETRY=1
export GRADIO_ANALYTICS_ENABLED=False
export ANONYMIZED_TELEMETRY=False

.PHONY: setup run lint test test-fast eval bench bench-reliability mutation clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

run: setup
	$(VENV)/bin/assistant ingest corpus
	$(VENV)/bin/assistant serve

lint: setup
	$(PY) -m ruff check assistant tests eval
	$(PY) -m mypy assistant

test: lint
	bash .ci/browser-deps
	$(PY) -m pytest -q

# Everything but servers, browsers, CLI processes, wheel builds, real models and evaluation runs (marked slow): under a minute.
test-fast: setup
	$(PY) -m pytest -q -m "not slow"

eval: setup
	$(VENV)/bin/assistant eval --dataset eval/dev.jsonl --baseline --json eval/dev-results.json

bench: setup
	$(PY) eval/bench.py

bench-reliability: setup
	$(PY) eval/bench_reliability.py

# Mutation score of the offset map, chunking, citation, answer and export modules (see eval/README.md).
mutation: setup
	$(PY) eval/mutation.py

clean:
	rm -rf $(VENV)
