# The two commands of the README's Quick start are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast bench lint airflow clean wordpress

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# the dev dependency isso builds misaka, a C extension
	command -v cc >/dev/null || (apt-get update && apt-get install -y gcc)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,airflow]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m archive.demo --data ./demo-data

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not airflow and not wordpress"

bench: $(STAMP)
	$(BIN)/python -m bench

# The real WordPress of the tests (Debian's packages, as root): install, start and fill it.
wordpress: $(STAMP)
	$(BIN)/python -m tests.wordpress.site up

lint: $(STAMP)
	$(BIN)/ruff check .

# Airflow on this machine for a first look (infra/airflow/local.py): SQLite in .airflow/,
# LocalExecutor, 127.0.0.1 only, the bundled sample site unless PRESSARCHIVE_SITES is set.
airflow: $(STAMP)
	$(BIN)/python infra/airflow/local.py

clean:
	rm -rf $(VENV) demo-data .airflow .pytest_cache .ruff_cache
