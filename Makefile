# Two commands a new user needs:  `make app`  and  `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PORT   ?= 8866
STAMP   = $(VENV)/.ntklab-installed

.PHONY: setup app test lint bench browser-deps figures clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("ntklab needs Python >= 3.11, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

## make app: set up, then serve the dashboards with Voila on http://localhost:$(PORT)
app: setup
	$(BIN)/ntklab app --port $(PORT)

## make test: set up (including headless Chromium where possible), then run every test
test: setup browser-deps
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python -m benchmarks

figures: setup
	$(BIN)/ntklab figures

# Debian's Chromium for the real-browser tests (browsers cannot be downloaded by Playwright here),
# a small CJK font (fonts-wqy-zenhei) so the Chinese labels do not render as boxes, and
# JupyterHub's proxy, configurable-http-proxy (npm), for tests/app/test_hub.py.
# Installed when missing and we are root; otherwise those tests skip and say why.
CJK_FONT = /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || [ ! -e $(CJK_FONT) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null) \
	      || echo "warning: could not install chromium/fonts-wqy-zenhei; browser tests may be skipped"; \
	  else echo "note: chromium or fonts-wqy-zenhei missing and not root; browser tests may be skipped"; fi; \
	fi
	@if ! command -v configurable-http-proxy >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v npm >/dev/null 2>&1; then \
	    npm install -g --silent configurable-http-proxy >/dev/null 2>&1 \
	      || echo "warning: could not install configurable-http-proxy (npm); the JupyterHub test will be skipped"; \
	  else echo "note: configurable-http-proxy (npm) missing and not root or no npm; the JupyterHub test will be skipped"; fi; \
	fi

clean:
	rm -rf $(VENV) build *.egg-info
