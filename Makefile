# The two README commands: `make lab` and `make test`. Both work on a fresh machine from nothing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
FIRST  := $(firstword $(wildcard notebooks/00_*.ipynb) $(wildcard notebooks/01_*.ipynb))
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
PYTEST_ARGS ?=

.PHONY: lab test install system-deps lint bench release clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test,hub]"
	$(BIN)/course --root "$(CURDIR)" setup
	touch $(STAMP)

install: $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

## make lab: set everything up and open JupyterLab on the course (first lesson)
lab: $(STAMP)
	@$(BIN)/course --root "$(CURDIR)" setup >/dev/null
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/jupyter lab $(ROOT_FLAG) --ServerApp.root_dir="$(CURDIR)" \
		--LabApp.default_url="/lab/tree/$(FIRST)"

## make test: set everything up and run the whole test suite
test: $(STAMP) system-deps
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

release: $(STAMP)
	$(BIN)/python -m course.grading.release

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
