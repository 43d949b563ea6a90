# Two commands for newcomers: `make site` and `make test`. Both set up .venv when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup site test lint validate report serve bench bench-200k search-quality clean deploy-build deploy-check \
	deploy-shard deploy-join

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# axe-core for the accessibility tests (tests/package.json, pinned in tests/package-lock.json)
AXE := tests/node_modules/axe-core/axe.min.js
$(AXE): tests/package.json tests/package-lock.json
	cd tests && npm ci --no-audit --no-fund --silent
	touch $(AXE)

setup: $(STAMP) $(AXE)

validate: $(STAMP)
	$(BIN)/laomo validate --records records --private examples/private

site: $(STAMP)
	$(BIN)/laomo build --records records --out site
	@echo "网站已生成：$(CURDIR)/site/index.html —— 本地浏览请运行 make serve（或 cd site && python3 -m http.server），然后打开 http://127.0.0.1:8000/"

# What the deploy workflow runs (.github/workflows/deploy.yml), each step runnable here too. CI passes
# LAOMO_FORMAT=github so that problems show as annotations on the commit.
LAOMO_FORMAT ?= text

deploy-build: $(STAMP)
	$(BIN)/laomo validate --records records --format $(LAOMO_FORMAT)
	$(BIN)/laomo build --records records --out site

deploy-check: $(STAMP)
	$(BIN)/laomo check site

# Beyond one machine (docs/scale.md): job K of N builds its shard into shards/K, a last job joins them into site/.
SHARD ?= 1
SHARDS ?= 4

deploy-shard: $(STAMP)
	$(BIN)/laomo build --records records --out shards/$(SHARD) --shard $(SHARD)/$(SHARDS)

deploy-join: $(STAMP)
	$(BIN)/laomo join $(sort $(wildcard shards/*)) --out site

report: $(STAMP)
	$(BIN)/laomo report --private examples/private --records records --out reports

serve: $(STAMP)
	$(BIN)/laomo serve

# Import contracts, style and types (configured in pyproject.toml: [tool.importlinter], [tool.ruff], [tool.mypy])
lint: setup
	$(BIN)/lint-imports
	$(BIN)/ruff check generator site_checks tests benchmarks
	$(BIN)/mypy

test: setup lint
	# pytest exits 5 when it collected no tests: not a failure of the code.
	$(BIN)/python -m pytest -q; status=$$?; [ $$status -eq 5 ] && echo 'pytest: no tests collected' && exit 0; exit $$status

bench: setup
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/run.py

# a national hall beside a provincial one, in one run (benchmarks/scale.py; about an hour on 2 cores)
bench-200k: setup
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/scale.py

search-quality: setup
	$(BIN)/python -m tests.search.quality

clean:
	rm -rf site shards reports .cache
