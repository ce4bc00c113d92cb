# The two commands a newcomer runs: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

export HF_HUB_OFFLINE=1
export TRANSFORMERS_OFFLINE=1
export HF_HUB_DISABLE_TELEMETRY=1
export GRADIO_ANALYTICS_ENABLED=False
export ANONYMIZED_TELEMETRY=False

.PHONY: setup run test eval bench bench-reliability clean

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

test: setup
	bash .ci/browser-deps
	$(PY) -m pytest -q

eval: setup
	$(VENV)/bin/assistant eval --dataset eval/dev.jsonl --baseline --json eval/dev-results.json

bench: setup
	$(PY) eval/bench.py

bench-reliability: setup
	$(PY) eval/bench_reliability.py

clean:
	rm -rf $(VENV)
