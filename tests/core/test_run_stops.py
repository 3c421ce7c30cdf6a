"""``make run`` stops cleanly (issues 23 and 25): a TERM to its process group, or Ctrl-C
(an INT to the whole foreground group), stops the web server, worker and beat within 10
seconds, and scripts/run.sh ends with status 0."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.core.test_sqlite_embedded import ROOT, _env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _group_alive(pgid: int) -> list[int]:
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == pgid:
                    stat = (entry / "stat").read_text()
                    if ") Z " not in stat:  # a zombie has already stopped
                        alive.append(int(entry.name))
            except (ProcessLookupError, FileNotFoundError, PermissionError):
                pass
    return alive


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    database = tmp_path_factory.mktemp("run") / "db.sqlite3"
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT,
                   env=_env(database), check=True, timeout=600)
    return database


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_make_run_stops_web_worker_and_beat_within_ten_seconds(database, tmp_path, sig):
    port = _free_port()
    env = {**_env(database), "PORT": str(port), "LOG_LEVEL": "INFO"}
    log = (tmp_path / "run.log").open("w")
    run = subprocess.Popen([str(ROOT / "scripts" / "run.sh")], cwd=ROOT, env=env, stdout=log,
                           stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # the web answers and the worker is ready
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                up = True
            except urllib.error.HTTPError:
                up = True  # 503 is an answer too
            except OSError:
                up = False
            if up and "ready." in (tmp_path / "run.log").read_text():
                break
            assert run.poll() is None, (tmp_path / "run.log").read_text()[-3000:]
            time.sleep(0.5)
        else:
            pytest.fail("make run did not start: " + (tmp_path / "run.log").read_text()[-3000:])
        assert len(_group_alive(run.pid)) >= 4  # run.sh, worker, beat, web
        started = time.monotonic()
        os.killpg(run.pid, sig)
        status = run.wait(timeout=30)
        took = time.monotonic() - started
        time.sleep(0.2)
        left = _group_alive(run.pid)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
        for pid in _group_alive(run.pid):
            os.kill(pid, signal.SIGKILL)
    text = (tmp_path / "run.log").read_text()
    assert took <= 10, f"took {took:.1f} s to stop:\n{text[-3000:]}"
    assert status == 0, text[-3000:]
    assert not left, f"still running: {left}"
    assert "Stopped the web server, worker and beat." in text
