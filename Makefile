# Every target creates .venv on first use, so a machine with only Python 3.11 and pip suffices.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DOCS_STAMP := $(VENV)/.installed-docs
# The benchmarks get their own venv so the reference engines never reach the tests. torch must stay
# exactly torch==2.13.0: that wheel is on this machine's disk; any other spec downloads gigabytes.
BENCH_VENV := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed

.PHONY: test check demo lint docs bench student clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test,dev,plot,fast]"
	touch $(STAMP)

$(DOCS_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[docs]"
	touch $(DOCS_STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest

# make check TASK=0.1: grade one task (one row: tests passed, the first failure); TASK="0.1 0.2"
# grades several; without TASK, every task marked in the code (docs/tasks.md).
TASK ?=
check: $(STAMP)
	$(BIN)/minitorch assign grade . $(foreach task,$(TASK),--task $(task))

demo: $(STAMP)
	$(BIN)/minitorch train

lint: $(STAMP)
	$(BIN)/ruff check minitorch tests bench
	$(BIN)/mypy --strict

docs: $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# The students' copy: every '# BEGIN TASK' block replaced by a stub (docs/instructors.md).
# `make student DIR=handout` writes elsewhere; a previous copy in DIR is replaced.
DIR ?= student
student: $(STAMP)
	$(BIN)/minitorch assign student $(DIR) --force

$(BENCH_STAMP): pyproject.toml
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet -e ".[fast]" micrograd autograd torch==2.13.0 matplotlib
	touch $(BENCH_STAMP)

# make bench: the full run (about 13-17 minutes on 2 cores, then 4-6 for FastOps, mostly numba
# compiling: docs/performance.md); make bench BENCH_ARGS=--quick: ~30 s, then the FastOps part,
# which still compiles; make bench BENCH_ARGS="--suite tensor": the tensor workloads only.
bench: $(BENCH_STAMP)
	$(BENCH_VENV)/bin/python -m bench $(BENCH_ARGS)
	$(BENCH_VENV)/bin/python -m bench.fast_backend $(if $(findstring --quick,$(BENCH_ARGS)),--quick,) --json bench/results/fast_backend.json

clean:
	rm -rf $(VENV) $(BENCH_VENV) site build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
