# hpmt-rapport — two commands (see README.md):
#   make report   set up, build every output from data/, render the book with Quarto if installed
#   make test     set up and run the tests
#   make bench    performance benchmark (benchmarks/run.py), every figure against its target
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: report test setup build render bench clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m analysis.kernel install >/dev/null
	touch $(STAMP)

setup: $(STAMP)

build: setup
	$(PY) -m analysis build --out _output

render: build
	@if command -v quarto >/dev/null 2>&1; then \
		PATH="$(CURDIR)/$(VENV)/bin:$$PATH" QUARTO_PYTHON="$(CURDIR)/$(PY)" quarto render; \
	else \
		echo "Quarto er ikke installert: tabeller og figurer ligger i _output/. Installer Quarto >= 1.9.18 fra https://quarto.org/docs/get-started/ (eller 'pip install quarto-cli' med internett) og kjør 'make report' igjen for HTML og PDF i _book/."; \
	fi

report: render

test: setup
	$(PY) -m pytest

bench: setup
	$(PY) benchmarks/run.py

clean:
	rm -rf _output _book .quarto
