# The two set-up commands of the README: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
# Public datasets are read from a local mirror laid out like ../shared/data (no network needed).
export GOVLENS_DATA_MIRROR ?= $(abspath ../shared/data)
export GOVLENS_XLSFORM_CORPUS ?= $(abspath ../shared/xlsform-corpus)

.PHONY: demo test lint typecheck pytest pytest-postgres install clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(VENV)/bin/govlens demo

lint: install
	$(VENV)/bin/ruff check .

typecheck: install
	$(VENV)/bin/mypy

# pytest exits 5 when it collects no test; that is not a failure of the code.
pytest: install
	$(PY) -m pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

# The web tests again on a real PostgreSQL server (a throwaway cluster on 127.0.0.1; installed when missing).
pytest-postgres: install
	@settings="$$(scripts/postgres.sh start)" && eval "$$settings" && test -n "$$GOVLENS_TEST_DATABASE_URL" && \
	trap 'scripts/postgres.sh stop "$$GOVLENS_PG_DIR" 2>/dev/null' EXIT && \
	echo "web tests on PostgreSQL ($$GOVLENS_TEST_DATABASE_URL)" && \
	$(PY) -m pytest tests/web

test: lint typecheck pytest pytest-postgres

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
