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

# Quarto: the one on PATH; else the one in .venv (pip's quarto-cli downloads the release on first
# use, which needs internet); else _output/ is all there is, and one line says why.
QUARTO_BIN = $(shell command -v quarto 2>/dev/null || { $(VENV)/bin/quarto --version >/dev/null 2>&1 && echo $(VENV)/bin/quarto; })

render: build
	@q="$(QUARTO_BIN)"; \
	if [ -z "$$q" ]; then \
		if $(PY) -m pip install --quiet quarto-cli >/dev/null 2>&1 && $(VENV)/bin/quarto --version >/dev/null 2>&1; then \
			q="$(VENV)/bin/quarto"; \
		fi; \
	fi; \
	if [ -z "$$q" ]; then \
		echo "Ingen _book/: fant ikke quarto på PATH, og 'pip install quarto-cli' i $(VENV) virket ikke (pakken laster ned Quarto og krever internett); tabeller, figurer og tall ligger i _output/ (se README, «Quarto»)."; \
	else \
		PATH="$(CURDIR)/$(VENV)/bin:$$PATH" QUARTO_PYTHON="$(CURDIR)/$(PY)" "$$q" render --execute-daemon 10; \
	fi

report: render

test: setup
	$(PY) -m pytest

bench: setup
	$(PY) benchmarks/run.py

clean:
	rm -rf _output _book .quarto .hpmt-cache
