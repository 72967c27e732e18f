# Two commands on a fresh machine: `make run` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup run test bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml Makefile
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]' --config-settings editable_mode=compat
	# pycorrector without its declared torch/transformers/datasets/pandas: we use its data
	# and classic algorithms only (see docs/architecture.md).
	$(PY) -m pip install --quiet --no-deps 'pycorrector==1.1.4'
	touch $(STAMP)

run: setup
	$(VENV)/bin/auditor check corpora/samples/county_notice.html

test: setup
	bash scripts/system_deps.sh
	$(PY) -m pytest -q

bench: setup
	$(PY) scripts/bench_extract.py
	$(PY) scripts/bench_audit.py
	$(PY) scripts/bench_web.py

clean:
	rm -rf $(VENV) build *.egg-info
