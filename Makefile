# newsharvest: `make demo` and `make test` work from a fresh clone (they create .venv first).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
EVAL_DIR ?= ../shared/eval

.PHONY: install demo test lint format eval bench clean

install: $(STAMP)

# Pinned: direct dependencies in pyproject.toml, everything else constrained by requirements.lock.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

demo: install
	$(PY) -m newsharvest.cli demo --output output

test: install
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Quality: extraction (shared eval pages + demo-site leak rate) and dedup accuracy, against plain trafilatura.
eval: install
	$(PY) -m benchmarks.eval_extraction --eval-dir $(EVAL_DIR) --write-md docs/BENCHMARKS.md
	$(PY) -m benchmarks.eval_dedup --eval-dir $(EVAL_DIR)

clean:
	rm -rf output/articles output/dropped output/state output/runs output/logs output/warc .pytest_cache
