# standardgen: `make site` builds the site, `make test` runs every check. `make help` lists all.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.DEFAULT_GOAL := help
.PHONY: help site check test quick lint typecheck pytest bench schema docs clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

site: $(STAMP) ## Validate standards/ and build the site, PDF and Word into output/site
	$(BIN)/standardgen build standards --out output

check: $(STAMP) ## Validate standards/ strictly (warnings are errors)
	$(BIN)/standardgen check --strict standards

schema: $(STAMP) ## Regenerate schema/*.schema.json from the model
	$(BIN)/standardgen schema --out schema

lint: $(STAMP) ## ruff on the package, tests, benchmarks and the scripts that make templates
	$(BIN)/ruff check src tests benchmarks templates

typecheck: $(STAMP) ## mypy --strict on the package, tests, benchmarks and template scripts
	$(BIN)/mypy src tests benchmarks templates

# axe-core for the accessibility tests, pinned in package-lock.json; skipped without npm (the
# tests that need it then say so, and fail under CI).
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the axe-core tests will be skipped"; fi

pytest: $(STAMP) $(NODE_STAMP) ## The test suite only
	$(BIN)/python -m pytest

# The reference pages are generated from the code at build time (docs/hooks/reference.py);
# --strict makes every warning an error, a broken internal link or anchor among them.
docs: $(STAMP) ## Build the documentation site into output/docs (warnings are errors)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

test: lint typecheck pytest docs ## Lint, type-check, the tests and the docs site (what CI runs)

# The fast lane while editing: no external client (LibreOffice, Chromium, Nu, poppler) and
# nothing marked slow (the installed-wheel test, big batches). `make test` stays the full suite.
quick: $(STAMP) ## The tests that need no external client and are not slow
	$(BIN)/python -m pytest -m "not client and not slow" -q

bench: $(STAMP) ## Benchmarks (benchmarks/), side by side with their baselines
	@for b in benchmarks/bench_*.py; do [ -e "$$b" ] || continue; echo "== $$b"; $(BIN)/python "$$b" || exit 1; done

clean: ## Remove generated output and caches
	rm -rf output .pytest_cache .mypy_cache .ruff_cache
