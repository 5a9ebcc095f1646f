# Every target builds what it needs: a fresh clone runs `make demo` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv demo test test-fast lint clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,gap]'
	touch $(STAMP)

demo: venv
	$(BIN)/wtmatch validate examples/twente.json
	$(BIN)/wtmatch solve examples/twente.json --time-limit 10 -o examples/twente-plan.json
	$(BIN)/wtmatch check examples/twente.json examples/twente-plan.json
	$(BIN)/wtmatch report examples/twente.json examples/twente-plan.json -o examples/twente-report
	@echo "Report: $(CURDIR)/examples/twente-report/index.html (open it in a browser)"

test: venv
	$(BIN)/python -m pytest

test-fast: venv
	$(BIN)/python -m pytest -m 'not slow'

lint: venv
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
