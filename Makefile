# Two commands do all set-up on a fresh machine with Python >= 3.11 and make:
#   make demo   - a throwaway homeserver, the bot and a seeded event, with login details printed
#   make test   - lint (ruff, hadolint) and every test, a real Synapse included

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: demo test lint unit integration docs clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: $(INSTALLED)
	$(BIN)/flipchart demo

lint: $(INSTALLED)
	$(BIN)/ruff check bot plugins tests bench
	$(BIN)/hadolint Dockerfile

test: lint
	$(BIN)/pytest -q -p no:cacheprovider

unit: $(INSTALLED)
	$(BIN)/pytest -q tests/bot tests/plugins

integration: $(INSTALLED)
	$(BIN)/pytest -q tests/integration

docs: $(INSTALLED)
	$(BIN)/flipchart docs > docs/commands.md

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
