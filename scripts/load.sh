#!/usr/bin/env bash
# Bounded load test: gunicorn on 127.0.0.1 only, locust headless, 50 users for 60 seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${LOAD_PORT:-8097}
export ALLOWED_HOSTS=127.0.0.1 DEBUG=false
.venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:${PORT}" --workers 2 \
  --log-level warning &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 1 30); do curl -fs "http://127.0.0.1:${PORT}/healthz" >/dev/null && break; sleep 1; done
.venv/bin/locust -f loadtest/locustfile.py --headless --host "http://127.0.0.1:${PORT}" \
  --users "${LOAD_USERS:-50}" --spawn-rate 10 --run-time "${LOAD_SECONDS:-60}s" \
  --only-summary --csv var/load --exit-code-on-error 1
.venv/bin/python scripts/load_summary.py var/load_stats.csv
