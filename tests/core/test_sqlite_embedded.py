"""The embedded default (``make run``): web, worker and beat share one SQLite file (issue 25).

Before WAL, IMMEDIATE transactions and a busy timeout, the email drain failed with
"database is locked" under light use: a transaction that had read could not take the write
lock while another process held it, and SQLite refuses that at once, whatever the timeout.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _env(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(DATABASE_URL=f"sqlite:///{database}", REDIS_URL="", EMAIL_URL="dummymail://",
               DEBUG="false", LOG_LEVEL="WARNING")
    return env


def test_web_worker_and_beat_write_one_sqlite_file_at_once(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = _env(database)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT,
                   env=env, check=True, timeout=300)
    subprocess.run([sys.executable, "manage.py", "shell", "-c",
                    "from accounts.models import User; "
                    "User.objects.create_user('writer', email='writer@example.org')"],
                   cwd=ROOT, env=env, check=True, timeout=120)

    writers = {role: subprocess.Popen(
        [sys.executable, "-m", "tests.core.sqlite_writer", role, "6"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for role in ("web", "worker", "beat")}
    results = {role: (p.wait(timeout=120), *p.communicate()) for role, p in writers.items()}

    for role, (status, out, err) in results.items():
        assert "database is locked" not in err, f"{role}: {err[-2000:]}"
        assert status == 0, f"{role} failed: {err[-2000:]}"
        assert int(out.strip()) > 0, role

    import sqlite3
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        scheduled = db.execute("SELECT count(*) FROM notifications_dueitem").fetchone()[0]
    assert scheduled == int(results["web"][1].strip())
