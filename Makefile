# Everything a newcomer needs, from a machine with only Python 3.11+:
#   make demo   builds the environment and runs the program
#   make test   builds the environment and runs lint, types, layer contracts and the tests
#   make bench  runs the benchmarks (make bench CLIENTS=1000 for a quick run)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CLIENTS ?=

.PHONY: demo test lint bench lock clean

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit("wijkteam heeft Python 3.11 of nieuwer nodig" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/wijkteam demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# Three workers (pytest-xdist) on the two-core reference machine: many tests wait on other
# processes and timers, so a third worker keeps both cores busy. Coverage of the package
# (branches, the command's own processes included) is reported at the end.
test: lint
	$(BIN)/pytest -n 3 --cov --cov-report=term --durations=15

bench: $(STAMP)
	$(BIN)/python -m benchmarks $(if $(CLIENTS),--clients $(CLIENTS))

# Re-pin requirements.lock from what the venv holds (after changing pyproject.toml).
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^wijkteam' > requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage .coverage.* htmlcov
