"""The Celery app: configured from Django settings (``CELERY_*``)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

if app.conf.broker_url == "filesystem://":
    # The embedded broker needs its folders before a worker or beat starts.
    from pathlib import Path

    for option in ("data_folder_in", "processed_folder"):
        Path(app.conf.broker_transport_options[option]).mkdir(parents=True, exist_ok=True)
