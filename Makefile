# Two commands do everything on a fresh machine: `make run` and `make test`.
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed-$(shell cat requirements-pip.lock requirements.lock pyproject.toml | sha256sum | cut -c1-12)
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_RUN  := tesseract-ocr tesseract-ocr-eng
APT_TEST := dovecot-imapd chromium postgresql

.PHONY: run test install system-run system-test bench bench-web lock clean

run: install system-run
	$(VENV)/bin/cme run

test: install system-run system-test
	$(PY) -m pytest $(PYTEST_ARGS)

install: $(STAMP)

# The installer is pinned and hashed too (requirements-pip.lock): the pip that `python3 -m venv`
# brings is whatever the machine's Python shipped with. The lock is installed exactly as written
# (--no-deps: nothing is resolved at install time, so a release made after the lock cannot enter),
# then `pip check` proves the lock is complete and consistent.
$(STAMP): requirements-pip.lock requirements.lock pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-pip.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(PY) -m pip check --disable-pip-version-check
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $@

# Debian packages: OCR for scanned forms (run and test); Dovecot, Chromium and PostgreSQL for the tests.
system-run:
	@command -v tesseract >/dev/null || { $(SUDO) apt-get update -q && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(APT_RUN); }

system-test:
	@{ test -x /usr/sbin/dovecot && test -x /usr/bin/chromium && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || { $(SUDO) apt-get update -q && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(APT_TEST) && { $(SUDO) service postgresql stop >/dev/null 2>&1 || true; }; }
	@# Debian starts Dovecot (and PostgreSQL) as system services on install; the tests run their own on 127.0.0.1.
	@-$(SUDO) service dovecot stop >/dev/null 2>&1 || true

bench: install system-run
	$(PY) tools/bench.py $(BENCH_ARGS)

# The review screen at 100,000 generated cases: a private PostgreSQL cluster (or CME_DATABASE_URL), p95/p50 per page.
bench-web: install system-test
	$(PY) tools/bench_web.py $(BENCH_ARGS)

# Re-pin dependencies after editing pyproject.toml.
UV_VERSION := 0.13.9
lock:
	$(PY) -m pip install --quiet uv==$(UV_VERSION)
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache
