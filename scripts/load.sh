#!/usr/bin/env bash
# Bounded load test: gunicorn on 127.0.0.1 only, locust headless, 50 users for 60 seconds.
# Users start at 2 a second (each signs in: PBKDF2 costs ~0.3 s of CPU by design), and the
# figures are reset once all 50 are running, so they cover 60 seconds at full load.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${LOAD_PORT:-8097}
export ALLOWED_HOSTS=127.0.0.1 DEBUG=false
# The Heads of Department who approve requests: new authenticator keys for this run, and
# requests topped up so there is always something to decide.
LOAD_DECIDERS=$(.venv/bin/python manage.py prepare_load --waiting "${LOAD_WAITING:-200}")
export LOAD_DECIDERS
.venv/bin/gunicorn config.wsgi:application --config config/gunicorn.py --bind "127.0.0.1:${PORT}" \
  --log-level warning &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 1 30); do curl -fs "http://127.0.0.1:${PORT}/healthz" >/dev/null && break; sleep 1; done
.venv/bin/locust -f loadtest/locustfile.py --headless --host "http://127.0.0.1:${PORT}" \
  --users "${LOAD_USERS:-50}" --spawn-rate "${LOAD_SPAWN_RATE:-2}" \
  --run-time "$(( ${LOAD_SECONDS:-60} + ${LOAD_USERS:-50} / ${LOAD_SPAWN_RATE:-2} ))s" \
  --only-summary --reset-stats --csv var/load --exit-code-on-error 1
.venv/bin/python scripts/load_summary.py var/load_stats.csv
# No worker ran: deliver what the approvals queued, as beat would, so the bench database is
# left with nothing due (make bench refuses to time its sweep over other items).
.venv/bin/python manage.py sweep
