#!/usr/bin/env bash
# Serve the app with its Celery worker and beat on HOST:PORT (default 127.0.0.1:8000).
# Ctrl-C or a TERM stops all three within 10 seconds and ends with status 0 (issue 25).
set -uo pipefail
cd "$(dirname "$0")/.."
pids=()

stop() {
  trap '' INT TERM
  kill -TERM "${pids[@]}" 2>/dev/null
  for _ in $(seq 1 32); do  # up to 8 s for a warm shutdown
    kill -0 "${pids[@]}" 2>/dev/null || break
    sleep 0.25
  done
  # A worker still finishing (or still busy) after that is stopped at once: every reminder
  # it held is a due item in the database and the next sweep delivers it.
  kill -KILL "${pids[@]}" 2>/dev/null
  wait 2>/dev/null
  echo "Stopped the web server, worker and beat."
  exit 0
}
trap stop INT TERM

if [ "$(id -u)" = "0" ]; then
  # A development container often runs everything as root. Celery would print an eight-line
  # "running as superuser" warning; say it once here instead (config/celery.py, README).
  echo "Note: running as root, so the Celery worker does too (fine in a development container; tasks accept JSON only). Run as an ordinary user to avoid it."
  export ROOT_WORKER_EXPLAINED=1
fi

# The worker uses threads: a prefork pool's children ignore the first TERM while they finish.
.venv/bin/celery -A config worker --loglevel=INFO --pool=threads --concurrency=2 \
  --without-gossip --without-mingle &
pids+=($!)
.venv/bin/celery -A config beat --loglevel=INFO &
pids+=($!)
echo
echo "Serving on http://${HOST:-127.0.0.1}:${PORT:-8000}/  (sign in with a demo user above)"
.venv/bin/python manage.py runserver --noreload "${HOST:-127.0.0.1}:${PORT:-8000}" &
pids+=($!)
# If any of the three ends by itself, stop the others too.
wait -n
stop
