# The two set-up commands of the README: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
# Public datasets are read from a local mirror laid out like ../shared/data (no network needed).
export GOVLENS_DATA_MIRROR ?= $(abspath ../shared/data)
export GOVLENS_XLSFORM_CORPUS ?= $(abspath ../shared/xlsform-corpus)

.PHONY: demo test lint typecheck audit lock pytest pytest-postgres install clean

# Installs exactly the locked versions (hash-checked), then GovLens itself.
$(VENV)/.installed: pyproject.toml requirements/lock.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q -r requirements/lock.txt
	$(PY) -m pip install -q --no-deps -e .
	touch $@

install: $(VENV)/.installed

# Re-resolve the lock after a change to the dependencies in pyproject.toml.
lock: install
	$(VENV)/bin/pip-compile -q --extra dev --generate-hashes --allow-unsafe --strip-extras \
	  --no-emit-index-url --no-emit-find-links -o requirements/lock.txt pyproject.toml

# Known vulnerabilities in the locked dependencies (pip-audit; see scripts/audit_dependencies.py).
audit: install
	$(PY) scripts/audit_dependencies.py

# The first `data pull` stores the public datasets under GOVLENS_HOME (from the mirror here, with their
# provenance); the demo, and every later command, reads them from there with no environment variable.
demo: install
	$(VENV)/bin/govlens data pull --mirror "$(GOVLENS_DATA_MIRROR)"
	env -u GOVLENS_DATA_MIRROR $(VENV)/bin/govlens demo

lint: install
	$(VENV)/bin/ruff check .

typecheck: install
	$(VENV)/bin/mypy
	$(VENV)/bin/mypy scripts benchmarks

# pytest exits 5 when it collects no test; that is not a failure of the code.
pytest: install
	$(PY) -m pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

# The web tests again on a real PostgreSQL server (a throwaway cluster on 127.0.0.1; installed when missing).
pytest-postgres: install
	@settings="$$(scripts/postgres.sh start)" && eval "$$settings" && test -n "$$GOVLENS_TEST_DATABASE_URL" && \
	trap 'scripts/postgres.sh stop "$$GOVLENS_PG_DIR" 2>/dev/null' EXIT && \
	echo "web tests on PostgreSQL ($$GOVLENS_TEST_DATABASE_URL)" && \
	$(PY) -m pytest tests/web

test: lint typecheck audit pytest pytest-postgres

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
