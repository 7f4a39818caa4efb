# The README's commands. Each target installs what it needs, so a fresh clone just works.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
export FLASK_APP := shop

.PHONY: run test bench lighthouse lint format translations extract-messages browser checkers screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

translations: $(STAMP)
	$(BIN)/pybabel compile -d shop/translations

# `make run PORT=5055` serves on another port; labels then carry that origin, unless
# SHOP_BASE_URL (in the environment or on the command line) says otherwise.
PORT ?= 5000
SHOP_BASE_URL ?= http://127.0.0.1:$(PORT)
run: translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	SHOP_BASE_URL="$(SHOP_BASE_URL)" $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# Debian's Chromium for the end-to-end tests (Playwright drives it; no browser download),
# and a font with Vietnamese letters for the generated demo photos.
BROWSER_PACKAGES := chromium chromium-driver fonts-dejavu-core
browser:
	@dpkg -s $(BROWSER_PACKAGES) >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; }

# The end-to-end suite's third-party checkers: axe-core and the W3C Nu HTML validator (npm,
# versions pinned by package-lock.json, into ./node_modules); the validator runs on Java.
CHECKERS := node_modules/.installed
$(CHECKERS): package.json package-lock.json
	@command -v npm >/dev/null && command -v java >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    $$(command -v npm >/dev/null || echo nodejs npm) \
	    $$(command -v java >/dev/null || echo default-jre-headless) >/dev/null; }
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@
checkers: $(CHECKERS)

# One pytest-xdist worker per core; --dist loadfile keeps each module on one worker, so the
# browser tests share one seeded live shop and one Chromium (xdist_group/loadgroup no longer
# groups anything under pytest 9: xdist renames node ids in a way pytest 9 ignores).
# More pytest options: make test PYTEST_ARGS="-x --durations=20".
test: translations browser checkers
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) TEST_REDIS_URL=$(TEST_REDIS_URL) \
	  $(BIN)/pytest -n auto --dist loadfile --cov --cov-report=term:skip-covered $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o shop/translations/messages.pot .
	$(BIN)/pybabel update -i shop/translations/messages.pot -d shop/translations --no-fuzzy-matching --ignore-obsolete

screenshots: translations browser
	$(BIN)/python -m tests.e2e.screenshots docs/screenshots
	SCREENSHOT_DIR=docs/screenshots $(BIN)/pytest tests/e2e/test_e2e_order_desk.py -q -p no:cacheprovider
	$(BIN)/python -m tests.e2e.money_screenshots docs/screenshots

bench: translations
	BENCH_DATABASE_URL=$${BENCH_DATABASE_URL:-$(TEST_DATABASE_URL)} \
	$(BIN)/python -m bench

# Lighthouse (mobile) on the home, product, scan, cart and producer pages of a freshly seeded
# demo served by gunicorn: a measurement, not part of `make test`. Installed under .lighthouse/.
LIGHTHOUSE_VERSION := 12.8.2
lighthouse: translations browser
	@test -x .lighthouse/node_modules/.bin/lighthouse || npm install --prefix .lighthouse \
	  --no-save --no-audit --no-fund --ignore-scripts lighthouse@$(LIGHTHOUSE_VERSION)
	CHROME_PATH=/usr/bin/chromium $(BIN)/python -m bench.lighthouse

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .coverage node_modules .lighthouse
