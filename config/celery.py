"""The Celery app: configured from Django settings (``CELERY_*``)."""

import os
import tempfile
import warnings

from celery import Celery
from celery.exceptions import SecurityWarning

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

if os.environ.get("CELERY_METRICS_PORT", "0") not in ("", "0"):
    # Issue 23: the worker serves its metrics on this port (core.celery_signals). Its pool's
    # processes run the tasks, so they count in prometheus_client's multiprocess mode: one
    # directory per container, chosen before anything imports prometheus_client (Django's
    # setup does), emptied when the worker starts (docs/DECISIONS.md).
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR",
                          os.path.join(tempfile.gettempdir(), "prometheus-celery-worker"))
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

if os.environ.get("ROOT_WORKER_EXPLAINED") == "1":
    # scripts/run.sh found it runs as root (a development container) and has said so in one
    # line; Celery's own warning would repeat it in eight. Only JSON is accepted
    # (CELERY_ACCEPT_CONTENT), so the pickle risk the warning is about does not arise.
    # The Docker image runs as the "app" user and never sets this.
    warnings.filterwarnings("ignore", category=SecurityWarning)

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The request id into tasks and their log lines, task failures counted, the worker's logs as
# the web's (JSON lines in production) and its metrics port: issue 23.
import core.celery_signals  # noqa: E402, F401

if app.conf.broker_url.startswith("filesystem://"):
    # The embedded broker needs its folders before a worker or beat starts.
    from pathlib import Path

    for option in ("data_folder_in", "processed_folder"):
        Path(app.conf.broker_transport_options[option]).mkdir(parents=True, exist_ok=True)
