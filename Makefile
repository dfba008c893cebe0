# figurewatch's two entry points: `make demo` runs the main job, `make test` the whole test suite.
# Both create .venv with the pinned dependencies first; the local Kafka broker is fetched on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint unit integration bench bench-e2e clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("figurewatch needs Python 3.11+") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# At a terminal the demo then leaves the page up until Ctrl-C; run without one (a script, CI) it ends.
demo: $(STAMP)
	$(BIN)/figurewatch demo $$([ -t 0 ] && echo --serve)

test: $(STAMP) lint
	$(BIN)/pytest -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -m unit

integration: $(STAMP)
	$(BIN)/pytest -m integration

bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	PYTHON=$(BIN)/python deploy/build-compiled.sh .figurewatch/compiled
	$(BIN)/python bench/extract_bench.py --compiled .figurewatch/compiled

# End-to-end worker throughput and latency through a local broker (BENCH_ARGS, e.g. --items 20000).
bench-e2e: $(STAMP)
	$(BIN)/python bench/e2e_bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .figurewatch
