#!/usr/bin/env bash
# Serve the app with its Celery worker and beat; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
trap 'kill 0' EXIT INT TERM
.venv/bin/celery -A config worker --loglevel=INFO --concurrency=2 --without-gossip --without-mingle &
.venv/bin/celery -A config beat --loglevel=INFO &
echo
echo "Serving on http://${HOST:-127.0.0.1}:${PORT:-8000}/  (sign in with a demo user above)"
.venv/bin/python manage.py runserver --noreload "${HOST:-127.0.0.1}:${PORT:-8000}"
