# DevSync: `make run` and `make test` are all a fresh machine needs.
# Every install step is idempotent and skipped when its inputs did not change.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
WEB := webclient
EXT := vscode-extension
NODE_DIRS := $(foreach d,$(WEB) $(EXT) tests/e2e/node,$(if $(wildcard $(d)/package-lock.json),$(d)))
NODE_STAMPS := $(addsuffix /node_modules/.installed,$(NODE_DIRS))
WEB_SOURCES := $(shell find $(WEB)/src $(WEB)/index.html $(WEB)/vite.config.* $(WEB)/package.json -type f 2>/dev/null)

.DEFAULT_GOAL := help
.PHONY: help install run test test-python test-js lint format bench clean

help: ## show this help
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: $(PY_STAMP) $(NODE_STAMPS) $(if $(wildcard $(WEB)/package.json),$(WEB)/dist/index.html) ## install Python and JS dependencies into .venv and node_modules, build the web client

$(PY_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet -e '.[ruff]' --group dev
	@touch $@

%/node_modules/.installed: %/package-lock.json %/package.json
	cd $* && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(WEB)/dist/index.html: $(WEB)/node_modules/.installed $(WEB_SOURCES)
	cd $(WEB) && npm run build --silent

run: install ## install what is missing, then start the server on SQLite with a sample project
	$(BIN)/devsync serve

test: install ## install what is missing, then run every test suite
	$(BIN)/python -m pytest
	@for d in $(WEB) $(EXT); do \
	  if [ -f $$d/package.json ]; then echo "== npm test in $$d"; (cd $$d && npm test --silent) || exit 1; fi; \
	done

lint: install ## ruff, formatting, mypy strict, and ESLint/Prettier/tsc for the TypeScript parts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	@for d in $(WEB) $(EXT); do \
	  if [ -f $$d/package.json ]; then echo "== npm run lint in $$d"; (cd $$d && npm run lint --silent) || exit 1; fi; \
	done

format: $(PY_STAMP) ## format the Python code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install ## run every benchmark (installs the peers into bench/.work)
	@for b in bench/*/run.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean: ## remove installed dependencies and build output (keeps .devsync data)
	rm -rf $(VENV) $(addsuffix /node_modules,$(WEB) $(EXT) tests/e2e/node) $(WEB)/dist bench/.work
