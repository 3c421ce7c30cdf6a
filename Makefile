# The two commands: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/contact_handling
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
# `make test` runs pytest in this many processes (pytest-xdist; 0 = one process). Three on
# the 2-core CI machine: the browser tests wait on Chromium and the live server, so a third
# process keeps both cores busy (fresh-clone .ci/run: 14 min 41 s with 3, about 15.5 with 2). Worker gwN
# uses test database <name>_gwN and Redis database TEST_REDIS_URL's number minus N. A worker
# that crashes fails the run at once (--max-worker-restart=0) rather than being replaced.
TEST_WORKERS ?= 3

.PHONY: install run test fuzz-sqlite lint audit migrate demo clean bench load load-capacity bench-growth cluster-test screenshots system-deps-test system-deps-run

# Debian packages the suite needs (Chromium for the browser tests, the libraries WeasyPrint
# renders PDFs with, pdftoppm): installed when missing, or a stop with the one command to run.
system-deps-test:
	@./scripts/system_deps.sh test

system-deps-run:
	@./scripts/system_deps.sh run

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed
	mkdir -p var/staticfiles

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

## make run: install, migrate, load demo data, serve web + worker + beat.
run: system-deps-run demo
	DEBUG=$${DEBUG:-true} ./scripts/run.sh

## make test: lint and the whole suite on PostgreSQL and Redis, browser tests included.
test: system-deps-test install
	@DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) scripts/check_services.py
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run > /dev/null
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	  $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal --max-worker-restart=0 $(PYTEST_ARGS)
	@if [ -z "$(PYTEST_ARGS)" ]; then $(MAKE) --no-print-directory fuzz-sqlite; fi

# The bad-input proofs again on SQLite (issue 19, finding 4): 0 server errors on both
# databases. A full `make test` runs it after the PostgreSQL run.
fuzz-sqlite: install
	@mkdir -p var
	DATABASE_URL=sqlite:///$(CURDIR)/var/fuzz.sqlite3 REDIS_URL=$(TEST_REDIS_URL) \
	  $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal --max-worker-restart=0 -q \
	  tests/security/test_fuzz_every_form.py tests/security/test_bad_input.py \
	  tests/security/test_fuzz_forms.py

## make screenshots: retake the user guide's screenshots (docs/guide/images/) from the demo data.
screenshots: install
	@DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) scripts/check_services.py
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	  $(PY) -m pytest tests/browser/test_screenshots.py

lint: install
	$(VENV)/bin/ruff check .

# Known vulnerabilities in exactly the pinned set that is installed (docs/SECURITY.md says how
# often and who acts). Needs the vulnerability database, so network access: not run in CI.
audit: install
	@mkdir -p var
	$(VENV)/bin/pip freeze --exclude-editable --all > var/audit-requirements.txt
	$(VENV)/bin/pip-audit --requirement var/audit-requirements.txt --no-deps --disable-pip \
		--strict --progress-spinner off --desc on

clean:
	rm -rf $(VENV) node_modules var db.sqlite3

## make bench: seed PostgreSQL (BENCH_DATABASE_URL) at full size once, then measure.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/contact_bench
BENCH_CUSTOMERS ?= 1000000
BENCH_CONTACTS ?= 5000000
bench: install
	@DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) scripts/check_services.py
	-createdb -h 127.0.0.1 -U postgres contact_bench 2>/dev/null
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py migrate --noinput -v0
	@if [ "$$(DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py shell -c 'from contacts.models import Customer; print(Customer.objects.filter(reference__startswith="CUS-B").exists())')" != "True" ]; then \
	  DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py seed_bench --customers $(BENCH_CUSTOMERS) --contacts $(BENCH_CONTACTS); fi
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py bench

## make load: 50 users for 60 seconds against gunicorn on 127.0.0.1 (after make bench).
# Its own Redis database: what the load queues (approvals' notifications) stays out of the
# test suite's.
LOAD_REDIS_URL ?= redis://127.0.0.1:6379/12
load: install
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(LOAD_REDIS_URL) ./scripts/load.sh

## make cluster-test: 2 web, 2 workers, 2 beats on one PostgreSQL (contact_cluster) and Redis
# (db 2); load across both web processes; one worker and one web process killed midway;
# proves every reminder and email was delivered exactly once and no request was lost.
CLUSTER_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/contact_cluster
CLUSTER_REDIS_URL ?= redis://127.0.0.1:6379/2
cluster-test: install
	CLUSTER_DATABASE_URL=$(CLUSTER_DATABASE_URL) CLUSTER_REDIS_URL=$(CLUSTER_REDIS_URL) \
	  $(PY) scripts/cluster_test.py

## make bench-growth: every hot page at two sizes (both seeded first) and each page's p95
# ratio between them. GROWTH_SMALL_URL and GROWTH_LARGE_URL name the two databases.
GROWTH_SMALL_URL ?= postgres://postgres@127.0.0.1:5432/contact_bench_small
GROWTH_LARGE_URL ?= $(BENCH_DATABASE_URL)
GROWTH_REQUESTS ?= 40
GROWTH_ROUNDS ?= 2
bench-growth: install
	GROWTH_SMALL_URL=$(GROWTH_SMALL_URL) GROWTH_LARGE_URL=$(GROWTH_LARGE_URL) \
	  REDIS_URL=$(TEST_REDIS_URL) $(PY) scripts/bench_growth.py --requests $(GROWTH_REQUESTS) \
	  --rounds $(GROWTH_ROUNDS)

## make load-capacity: open loop, offered rate stepped up (LOAD_RATES, LOAD_STEP_SECONDS);
# prints the highest rate sustained with p95 < 250 ms and no errors, and the configuration.
load-capacity: install
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(LOAD_REDIS_URL) ./scripts/load.sh --open-loop
