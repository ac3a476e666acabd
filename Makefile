# The two commands a newcomer needs: `make run` and `make test` (see README).
PYTHON ?= python3
VENV   ?= .venv
DOCS   ?= examples
STORE  ?= .mskg
HOST   ?= 127.0.0.1
PORT   ?= 8000
BIN    := $(VENV)/bin

.PHONY: install run ingest serve test bench clean

$(BIN)/mskg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(BIN)/mskg

ingest: install
	$(BIN)/mskg ingest $(DOCS) --store $(STORE)

serve: install
	$(BIN)/mskg serve --store $(STORE) --host $(HOST) --port $(PORT)

run: ingest serve

test: install
	bash scripts/test-deps.sh
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(STORE) build *.egg-info
