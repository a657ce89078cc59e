# lawfind: `make run` (demo) and `make test` (the CI command) work from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# the shared datasets, when this checkout sits beside ../shared
export LAWFIND_DATA_DIR ?= $(if $(wildcard ../shared/data),$(abspath ../shared/data),)

.PHONY: run test app install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,app]"
	touch $@ $(VENV)/.installed $(VENV)/.installed-app

$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[app]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# the main job: rediscover a planted law (Hall-Petch), then the perovskite case study (Bartel's
# tolerance factor against a criterion found from the radii; quick mode, about a minute)
run: install
	$(BIN)/lawfind demo hall_petch --output $(VENV)/demo_hall_petch.csv --overwrite
	$(BIN)/lawfind discover $(VENV)/demo_hall_petch.csv --target "sigma_y [MPa]" --time-limit 20 --out lawfind_runs/demo --overwrite
	$(BIN)/lawfind case-study perovskite_tolerance --quick --out lawfind_runs/case_studies/perovskite_tolerance --overwrite

test: install-test
	$(BIN)/python -m pytest

# the Streamlit explorer on http://127.0.0.1:8501
app: $(VENV)/.installed-app
	$(BIN)/lawfind app

clean:
	rm -rf $(VENV) lawfind_runs .pytest_cache
