"""gunicorn settings shared by the image (Dockerfile) and the load test (scripts/load.sh).

Sync workers, one more than the cores (the image used 3 on a 2-core host). Override with
GUNICORN_WORKERS.
"""

import multiprocessing
import os

workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
timeout = 30

# Issue 19, finding 9: no query string and no referrer in the access log. Customer search is a
# GET (/contacts/?q=<name, phone or email>), so the request line would carry what staff typed;
# %(U)s is the path alone. The referrer would carry the search page's query too.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'
