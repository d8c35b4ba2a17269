# One task runner. `make demo` and `make test` work on a fresh machine with only Python 3.11 and pip:
# they bootstrap uv (pinned) into .uv/, build .venv from uv.lock, then run.
PYTHON ?= python3
UV_VERSION := 0.13.5
UV := .uv/bin/uv
VENV := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: setup web-assets demo test test-quick lint typecheck bench docs clean

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --python $(PYTHON) --all-extras --group dev --quiet
	touch $@

# The dashboard's JavaScript comes from the npm registry at build time (package-lock.json pins
# it) and is copied into the package: nothing is fetched from a CDN when the page is served.
LEAFLET := src/ceasefire/web/static/vendor/leaflet
$(LEAFLET)/leaflet.js: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --silent
	mkdir -p $(LEAFLET)
	cp -r web/node_modules/leaflet/dist/leaflet.js web/node_modules/leaflet/dist/leaflet.css \
		web/node_modules/leaflet/dist/images web/node_modules/leaflet/LICENSE $(LEAFLET)/

web-assets: $(LEAFLET)/leaflet.js ## Copy the dashboard's front-end libraries in from npm

setup: $(VENV)/.synced web-assets ## Install everything into .venv from the lock file

demo: setup ## Build ./ceasefire-demo from the bundled samples on the embedded store
	$(VENV)/bin/ceasefire demo

lint: setup
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks

typecheck: setup
	$(VENV)/bin/mypy

test: setup lint typecheck ## Lint, type-check and run the whole test suite, measuring coverage
	$(VENV)/bin/pytest --cov=ceasefire --cov-report=term:skip-covered

test-quick: setup ## The tests without the slow ones (the crash loop), for day-to-day work
	$(VENV)/bin/pytest -q -m "not slow"

docs: setup ## Regenerate docs/cli.md from the commands' help
	$(VENV)/bin/python -m ceasefire.cli.reference docs/cli.md

bench: setup ## Run the benchmarks (figures and ratios against an in-run baseline)
	$(VENV)/bin/python benchmarks/run.py

clean:
	rm -rf .venv .uv ceasefire-demo .pytest_cache .mypy_cache .ruff_cache .hypothesis \
		web/node_modules $(LEAFLET) test-artifacts
