# `make site` on a fresh machine: creates .venv, installs pinned dependencies, builds site/ from articles/.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site test serve check bench eval clean

site: $(STAMP)
	$(BIN)/archive build

serve: $(STAMP)
	$(BIN)/archive serve

check: $(STAMP)
	$(BIN)/archive check --strict

test: $(STAMP)
	$(BIN)/pytest -q

# Reads ../shared/corpora (not part of the project); see scripts/.
eval: $(STAMP)
	$(BIN)/python scripts/eval_dates.py

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	# Old pip mis-resolves trafilatura's lxml extra, so upgrade it first.
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf site docs/articles docs/browse docs/originals docs/data
