"""Helpers for the reliability tests: worker and redis-server subprocesses, bounded waits."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import redis
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("worker.py")


def wait_for(condition: Callable[[], object], *, timeout: float, what: str,
              every: float = 0.1) -> object:
    """Poll ``condition`` until it is truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def current_database_url() -> str:
    """The URL of the test database this test runs in (workers must use the same one)."""
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Worker:
    """A Celery worker subprocess (its own process group, so beat dies with it)."""

    def __init__(self, tmp_path: Path, name: str, *, broker: str, args: tuple = (),
                 env: dict | None = None) -> None:
        self.name = name
        self.log = tmp_path / f"worker-{name}.log"
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir(exist_ok=True)
        environment = {
            **os.environ, "DATABASE_URL": current_database_url(), "REDIS_URL": broker,
            "PYTHONUNBUFFERED": "1", **(env or {}),
        }
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(WORKER), "--name", name, "--mail-dir", str(self.mail_dir),
                 *args],
                cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self, timeout: float = 60) -> None:
        wait_for(lambda: " ready." in self.output() or self.process.poll() is not None,
                 timeout=timeout, what=f"worker {self.name} to start")
        assert self.process.poll() is None, self.output()

    def kill(self) -> None:
        """SIGKILL the worker and anything it started, as a crash or OOM kill would."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def delivered_counts(self) -> list[int]:
        """The ``delivered=`` figure of each sweep this worker logged."""
        return self._logged("sweep delivered=")

    def emailed_counts(self) -> list[int]:
        """The ``sent=`` figure of each email drain this worker logged (that sent any)."""
        return self._logged("email sent=")

    def _logged(self, prefix: str) -> list[int]:
        return [int(line.split(prefix)[1].split()[0])
                for line in self.output().splitlines() if prefix in line]


def emails_for(mail_dir: Path, item_id: int) -> int:
    """How many emails the workers wrote for the due item ``item_id``."""
    header = f"X-Notification-Item: {item_id}"
    return sum(
        line.strip() == header
        for path in mail_dir.glob("*.log")
        for line in path.read_text(errors="replace").splitlines()
    )


class RedisServer:
    """A private redis-server on its own port, which a test can stop and start again."""

    def __init__(self, tmp_path: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tmp_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is not installed"
        self.process = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, timeout=20, what="redis-server to answer")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=20)
        wait_for(lambda: not self.answers(), timeout=20, what="redis-server to stop")

    def answers(self) -> bool:
        try:
            return bool(redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False
