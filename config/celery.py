"""The Celery app: configured from Django settings (``CELERY_*``)."""

import os
import warnings

from celery import Celery
from celery.exceptions import SecurityWarning

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

if os.environ.get("ROOT_WORKER_EXPLAINED") == "1":
    # scripts/run.sh found it runs as root (a development container) and has said so in one
    # line; Celery's own warning would repeat it in eight. Only JSON is accepted
    # (CELERY_ACCEPT_CONTENT), so the pickle risk the warning is about does not arise.
    # The Docker image runs as the "app" user and never sets this.
    warnings.filterwarnings("ignore", category=SecurityWarning)

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

if app.conf.broker_url.startswith("filesystem://"):
    # The embedded broker needs its folders before a worker or beat starts.
    from pathlib import Path

    for option in ("data_folder_in", "processed_folder"):
        Path(app.conf.broker_transport_options[option]).mkdir(parents=True, exist_ok=True)
