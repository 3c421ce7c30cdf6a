"""gunicorn settings shared by the image (Dockerfile) and the load test (scripts/load.sh).

Sync workers, one more than the cores (the image used 3 on a 2-core host). Override with
GUNICORN_WORKERS.
"""

import multiprocessing
import os

workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
timeout = 30
