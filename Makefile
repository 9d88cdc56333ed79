# One command to set up and serve the book, one to run the tests (see README.md).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PATH := $(CURDIR)/$(BIN):$(PATH)
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup serve test
setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml tools/nbbook/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

serve: setup
	$(BIN)/nox -s serve

test: setup
	$(BIN)/nox -s tests
