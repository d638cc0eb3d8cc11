# The README's commands. Each target sets itself up on a fresh Debian machine
# with Python >= 3.11 and is quick the second time.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.archkit-installed
TEST_STAMP := $(VENV)/.archkit-test-installed

.PHONY: demo test lab lint workshop dot clean

# demo installs only what the pack needs; the test extras come with `make test`.
demo: $(STAMP) dot
	$(BIN)/archkit pack order-platform --out out/pack

test: $(TEST_STAMP) dot
	$(BIN)/ruff check archkit tests benchmarks examples docs
	$(BIN)/pytest

# Student copies of the notebooks: solutions blanked, outputs stripped.
workshop: $(STAMP)
	$(BIN)/python -m archkit.workshop notebooks workshop

# JupyterLab refuses to run as root unless told; containers and Binder-like boxes often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

# make lab DESIGN=path/to/design: the notebooks work on that folder (else a copy of the example).
DESIGN ?=
lab: $(STAMP) dot
	$(if $(DESIGN),ARCHKIT_DESIGN="$(abspath $(DESIGN))") $(BIN)/jupyter lab $(ROOT_FLAG) notebooks

lint: $(TEST_STAMP)
	$(BIN)/ruff check archkit tests benchmarks examples docs

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(TEST_STAMP)

# Graphviz's dot renders every diagram; install it when we can, say how when we cannot.
dot:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && apt-get install -y -qq graphviz >/dev/null; \
	  else \
	    echo "Graphviz's 'dot' is missing. Install it with: sudo apt-get install graphviz  (macOS: brew install graphviz; conda: conda install -c conda-forge graphviz)" >&2; \
	    exit 1; \
	  fi; }

clean:
	rm -rf out $(VENV)
