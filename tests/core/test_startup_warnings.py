"""Issue 25: `make run` starts without Celery's and kombu's warnings ("No hostname was
supplied" on every connection, "running as superuser" in a root container): the embedded
broker URL has a hostname, and a root worker is explained in one line, not eight."""

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from kombu import Connection

ROOT = Path(__file__).resolve().parents[2]


def test_the_embedded_broker_url_names_a_host(caplog):
    with caplog.at_level(logging.WARNING, logger="kombu.connection"):
        connection = Connection(settings.EMBEDDED_BROKER_URL)
        connection.info()  # what the worker, beat and every send do (kombu warns here)
        connection.clone()
    assert connection.hostname == "localhost"
    assert connection.transport_cls == "filesystem"
    assert "No hostname was supplied" not in caplog.text


def test_a_url_without_a_host_is_what_warned(caplog):
    """The check above can fail: the old URL makes kombu warn."""
    with caplog.at_level(logging.WARNING, logger="kombu.connection"):
        Connection("filesystem://").info()
    assert "No hostname was supplied" in caplog.text


def _warn_as_celery_would(env: dict) -> str:
    code = ("import warnings, config.celery\n"
            "from celery.exceptions import SecurityWarning\n"
            "warnings.warn(SecurityWarning('running the worker with superuser privileges'))\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60, check=True)
    return result.stderr


def test_the_root_warning_is_quiet_only_where_run_sh_explained_it():
    env = {k: v for k, v in os.environ.items() if k != "ROOT_WORKER_EXPLAINED"}
    assert "superuser privileges" in _warn_as_celery_would(env)
    assert "superuser privileges" not in _warn_as_celery_would(
        {**env, "ROOT_WORKER_EXPLAINED": "1"})


def test_tasks_accept_json_only():
    """Why quieting the root warning is safe here: no pickle (the risk it is about)."""
    from config.celery import app

    assert list(app.conf.accept_content) == ["json"]
    assert app.conf.task_serializer == "json"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_run_sh_starts_without_the_warnings_and_stops_with_status_0(tmp_path):
    """scripts/run.sh with the embedded broker and a temporary SQLite database: its output
    has neither warning, and TERM stops it with status 0."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", PORT=str(_free_port()),
               DEBUG="true")
    log = tmp_path / "run.log"
    with open(log, "w") as out:
        process = subprocess.Popen(["/bin/bash", "scripts/run.sh"], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and "ready." not in log.read_text():
                time.sleep(0.5)
            time.sleep(2)  # beat's first sends, the worker's first connections
            process.send_signal(signal.SIGTERM)
            status = process.wait(timeout=30)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
    text = log.read_text()
    assert "ready." in text, text[-2000:]
    assert "No hostname was supplied" not in text
    assert "superuser privileges" not in text
    if os.geteuid() == 0:
        assert text.count("Note: running as root") == 1
    assert status == 0
    assert "Stopped the web server, worker and beat." in text
