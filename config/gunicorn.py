"""gunicorn settings shared by the image (Dockerfile) and the load test (scripts/load.sh).

Sync workers, one more than the cores (the image used 3 on a 2-core host). Override with
GUNICORN_WORKERS.
"""

import multiprocessing
import os
import tempfile
from pathlib import Path

workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
timeout = 30

# Issue 19, finding 9: no query string and no referrer in the access log. Customer search is a
# GET (/contacts/?q=<name, phone or email>), so the request line would carry what staff typed;
# %(U)s is the path alone. The referrer would carry the search page's query too.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'

# Issue 23: the workers' metrics are summed across processes (prometheus_client's
# multiprocess mode, core.metrics; docs/DECISIONS.md "Metrics across processes"). Each
# worker writes its samples to files in this directory, made fresh for this master unless
# PROMETHEUS_MULTIPROC_DIR names one; every worker imports the app after the fork, so all
# of them see it. A worker that exits leaves its counts in the sum (they are counters).
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="prometheus-web-")


def on_starting(server):
    """A directory named from outside may hold the last run's files: start from none."""
    for path in Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).glob("*.db"):
        path.unlink(missing_ok=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
