# The two set-up commands of the README: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
# Public datasets are read from a local mirror laid out like ../shared/data (no network needed).
export GOVLENS_DATA_MIRROR ?= $(abspath ../shared/data)
export GOVLENS_XLSFORM_CORPUS ?= $(abspath ../shared/xlsform-corpus)

.PHONY: demo test lint typecheck pytest install clean

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

test: lint typecheck pytest

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
