# `make site` on a fresh machine: creates .venv, installs pinned dependencies, builds site/ from articles/.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site test typecheck test-fast test-unit test-integration test-browser test-safety test-perf test-fuzz serve check bench eval clean

site: $(STAMP)
	$(BIN)/archive build

serve: $(STAMP)
	$(BIN)/archive serve

check: $(STAMP)
	$(BIN)/archive check --strict

# The type check first (0 errors is the bar), then every lane.
test: $(STAMP)
	$(BIN)/mypy
	$(BIN)/pytest -q

# mypy over builder/ as configured in pyproject.toml ([tool.mypy]: defaults plus check_untyped_defs).
typecheck: $(STAMP)
	$(BIN)/mypy

# The suite in lanes (pytest markers, registered in pyproject.toml; every test is in exactly one).
# test-fast is the unit lane: no site build, no subprocess, no browser, no wall-clock bound; under a minute.
# test-perf: complexity checks (fitted slope of time over input sizes); ARCHIVE_PERF_SCALE=10 for a larger run.
# test-fuzz: hostile articles through every per-article step (hypothesis, fixed seed); ARCHIVE_FUZZ_EXAMPLES=2000 for more.
test-fast: test-unit

test-unit test-integration test-browser test-safety test-perf test-fuzz: $(STAMP)
	$(BIN)/pytest -q -m $(@:test-%=%)

# Reads ../shared/corpora/fakes-dev (not part of the project); see scripts/. Dates, governorates, NER, then events
# (events-gold.json scored as events-gold.md §5; `scripts/eval_events.py --site DIR` scores a built site instead).
# Then general news: CoNLL-2003 testa, when its data is in $(CONLL) (outside the project; scripts/eval_conll.py).
CONLL ?= ../conll
eval: $(STAMP)
	$(BIN)/python scripts/eval_dates.py --far 5
	$(BIN)/python scripts/eval_extraction.py --only fakes --misses 5
	$(BIN)/python scripts/eval_ner.py --errors 40
	$(BIN)/python scripts/eval_events.py --misses 20
	@if [ -d "$(CONLL)" ]; then $(BIN)/python scripts/eval_conll.py --conll "$(CONLL)" --split testa --errors 20; \
	else echo "eval: CoNLL-2003 skipped: no $(CONLL) folder (train/testa live outside the project; see scripts/eval_conll.py)"; fi

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

# requirements.lock pins the whole dependency tree by sha256 (the spaCy model included); regenerate it with
#   uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11.7 -o requirements.lock
$(STAMP): pyproject.toml requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	# Old pip mis-resolves trafilatura's lxml extra, so upgrade it first.
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

clean:
	rm -rf site docs/articles docs/browse docs/originals docs/data
