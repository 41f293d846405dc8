# Everything a newcomer needs, from a machine with only Python 3.11+:
#   make demo     builds the environment and runs the program
#   make test     builds the environment, brings the programs the tests use (as root on
#                 Debian/Ubuntu), and runs lint, types, layer contracts and the tests
#   make bench    runs the benchmarks (make bench CLIENTS=1000 for a quick run)
#   make install  (root) one install for every account on the host: PREFIX, on the PATH
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CLIENTS ?=
PREFIX ?= /opt/wijkteam
BINDIR ?= /usr/local/bin

.PHONY: demo test lint programs bench install lock clean

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
programs:
	@bash scripts/test-programs.sh

test: lint programs
	$(BIN)/pytest -n 3 --cov --cov-report=term --durations=15

bench: $(STAMP)
	$(BIN)/python -m benchmarks $(if $(CLIENTS),--clients $(CLIENTS))

# One install for every account on the host (run as root; again to update): a virtual
# environment that every account may read and run, with the pinned packages and this version of
# wijkteam, and $(BINDIR)/wijkteam pointing at it. Each install is a folder of its own
# ($(PREFIX)-<time>); $(PREFIX) is a link that moves to the new one in one rename, so an update
# never leaves half of one, and the previous folder is removed after.
STAMP_NOW := $(shell date +%Y%m%d%H%M%S)
install:
	@$(PYTHON) scripts/shared-python.py
	$(PYTHON) -m venv $(PREFIX)-$(STAMP_NOW)
	$(PREFIX)-$(STAMP_NOW)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PREFIX)-$(STAMP_NOW)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps .
	chmod -R u=rwX,go=rX $(PREFIX)-$(STAMP_NOW)
	@old=$$(readlink $(PREFIX) || true); \
	ln -sfn $(PREFIX)-$(STAMP_NOW) $(PREFIX).nieuw && mv -T $(PREFIX).nieuw $(PREFIX); \
	if [ -n "$$old" ] && [ "$$old" != "$(PREFIX)-$(STAMP_NOW)" ]; then rm -rf "$$old"; fi
	mkdir -p $(BINDIR)
	ln -sfn $(PREFIX)/bin/wijkteam $(BINDIR)/wijkteam
	@echo "wijkteam staat in $(PREFIX); $(BINDIR)/wijkteam start het, voor elk account."

# Re-pin requirements.lock from what the venv holds (after changing pyproject.toml).
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^wijkteam' > requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage .coverage.* htmlcov
