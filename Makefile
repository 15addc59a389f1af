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

# Speed: language-id sample size, full crawl throughput (1x and 5x, nginx when installed), dedup at 1M
# articles, WARC re-processing, one vs two Redis workers. Takes a while; figures go to docs/BENCHMARKS.md.
bench: install
	$(PY) -m benchmarks.bench_langid --eval-dir $(EVAL_DIR)
	$(PY) -m benchmarks.bench_crawl --scale 5 --repeat 3 --memory-limit-mb 500 --write-md docs/BENCHMARKS.md
	$(PY) -m benchmarks.bench_dedup --n 1000000
	$(PY) -m benchmarks.bench_process --pages 2000
	$(PY) -m benchmarks.bench_scaleout

clean:
	rm -rf output/articles output/dropped output/state output/runs output/logs output/warc .pytest_cache
