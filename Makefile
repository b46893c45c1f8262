# Everything starts from python3 and make: `make demo` brings the product up on sample data,
# `make test` runs every test. Both create .venv with the pinned versions first.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install demo test lint browser

$(STAMP): requirements.lock pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/ggzy demo

# sqlfluff (dialect duckdb, .sqlfluff) lints the dbt models, compiled against a scratch warehouse
# holding the seeds (a model may read a code list, e.g. the guarantee forms), and the dashboard's
# queries (ggzy/serve/queries, Jinja templates)
lint: install
	$(BIN)/ruff check ggzy app tests scripts bench
	mkdir -p $(VENV)/lint-warehouse
	GGZY_HOME=$(VENV)/lint-warehouse $(BIN)/dbt seed --quiet --full-refresh --project-dir . --profiles-dir . \
		--target-path $(VENV)/lint-warehouse/target --log-path $(VENV)/lint-warehouse/logs
	GGZY_HOME=$(VENV)/lint-warehouse $(BIN)/sqlfluff lint models
	$(BIN)/sqlfluff lint --templater jinja ggzy/serve/queries

# the browser test drives Debian's chromium (never a downloaded browser), with a font for Chinese;
# poppler-utils' pdftoppm draws the monthly report's first PDF pages into test-artifacts/
browser:
	@command -v chromium >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi wqy || \
		($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-wqy-microhei poppler-utils)

# two workers, each taking whole test files (module fixtures build their warehouse once): the
# suite is CPU-bound in one process, so this halves its time on the 2-core machine
test: lint browser
	$(BIN)/pytest -q -n 2 --dist loadfile
