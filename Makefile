# kpitree: `make demo` and `make test` create the virtual environment when missing.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DAGSTER_HOME ?= $(CURDIR)/var/dagster_home
# `make dbt-build` builds the models on the first worked example and runs dbt's unit tests:
# the one place they run (the nightly job's `dbt build` leaves them out).
DBT_CHECK_WAREHOUSE := $(CURDIR)/var/dbt-check/kpitree.duckdb
DBT_CHECK_LANDING := tests/fixtures/examples/t1-reading-and-funnel/landing

.PHONY: help install manifest demo dev lint format dbt-build pytest test os-packages \
	dbt-build-then-serial-tests bench clean

help:
	@echo "make demo       sample data into var/landing, run, publish var/kpitree.duckdb"
	@echo "make test       install, lint (ruff, sqlfluff), dbt build on an example, pytest"
	@echo "make dev        dagster dev (UI, nightly schedule, landing-file sensor) on the same"
	@echo "                var/landing and var/kpitree.duckdb; shows the command-line runs too"
	@echo "make lint       ruff check + format check, sqlfluff lint"
	@echo "make format     ruff format + fix, sqlfluff fix"
	@echo "make bench      time full, nothing-new and one-day runs at 10x and 100x beside DuckDB's floor,"
	@echo "                and at 10x on a throw-away PostgreSQL server and on local Spark"
	@echo "make clean      remove var/ and dbt artifacts (keeps .venv)"

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The oldest DuckDB a BI tool may embed and still open the published file (storage version
# v1.4.0, the history's Parquet files): a second, small environment the publish tests use.
VENV_DUCKDB14 := .venv-duckdb14
$(VENV_DUCKDB14)/bin/python:
	$(PYTHON) -m venv $(VENV_DUCKDB14)
	$(VENV_DUCKDB14)/bin/python -m pip install --quiet 'duckdb==1.4.*'
export KPITREE_DUCKDB14_PYTHON := $(CURDIR)/$(VENV_DUCKDB14)/bin/python

# What the tests need from the OS: the dashboard tests drive its Chromium (Playwright cannot
# download its own here) and take screenshots, which need a Japanese font; the PostgreSQL
# tests start a throw-away server from its postgresql package; the Spark tests need Java.
# Installed with apt when missing and run as root (CI); otherwise the command to run is
# printed and those tests are skipped.
os-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || command -v pg_ctl >/dev/null \
		|| missing="$$missing postgresql"; \
	command -v java >/dev/null || missing="$$missing openjdk-17-jre-headless"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing$$missing (apt)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else echo "the dashboard, PostgreSQL and Spark tests need: sudo apt-get install$$missing"; fi

# Dagster reads dbt's manifest, and dbt the seeds written from the shared MQL/SQL
# definition; a fresh clone has neither. This writes both; dbt parses again only when a
# file it reads has changed since the last parse (orchestration/project.py decides).
manifest: $(STAMP)
	$(BIN)/python -m orchestration.project

demo: manifest
	$(BIN)/kpitree demo

dev: manifest
	mkdir -p $(DAGSTER_HOME)
	$(BIN)/dagster dev -m orchestration.definitions

lint: manifest
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint dbt_project/models

format: manifest
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/sqlfluff fix dbt_project/models

dbt-build: manifest
	rm -rf $(dir $(DBT_CHECK_WAREHOUSE))
	$(BIN)/kpitree ingest --landing $(DBT_CHECK_LANDING) --warehouse $(DBT_CHECK_WAREHOUSE)
	cd dbt_project && KPITREE_DBT_DATABASE=$(dir $(DBT_CHECK_WAREHOUSE))kpitree_work/working.duckdb \
		../$(BIN)/dbt build --profiles-dir . \
		--target-path $(dir $(DBT_CHECK_WAREHOUSE))dbt --log-path $(dir $(DBT_CHECK_WAREHOUSE))dbt

# Two processes share the pipeline runs (tests/conftest.py). Tests marked serial rewrite
# files that every run reads (the lead-definition seeds): they never run beside a run.
# Modules go out in the order tests/conftest.py gives them, the longest first:
# pytest-xdist would otherwise hand out the modules with the most tests first, and the two
# Spark modules, few tests but the longest, would run last, side by side.
PYTEST_WORKERS ?= 2
PYTEST_PARALLEL := $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadscope --no-loadscope-reorder \
	-m "not serial"
PYTEST_SERIAL := $(BIN)/pytest -m serial

pytest: manifest $(VENV_DUCKDB14)/bin/python os-packages
	$(PYTEST_PARALLEL)
	$(PYTEST_SERIAL)

# `make test` keeps both cores busy: lint on one, the example's dbt build and then the
# serial tests on the other; then pytest's workers on both.
test: manifest $(VENV_DUCKDB14)/bin/python os-packages
	$(MAKE) --no-print-directory -j2 --output-sync=target lint dbt-build-then-serial-tests
	$(PYTEST_PARALLEL)

dbt-build-then-serial-tests: dbt-build
	$(PYTEST_SERIAL)

bench: manifest
	$(BIN)/python benchmarks/run.py --postgres 10 --spark 10

clean:
	rm -rf var dbt_project/target dbt_project/logs $(VENV_DUCKDB14)
