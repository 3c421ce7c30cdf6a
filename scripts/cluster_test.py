# ruff: noqa: S603, S607, SIM115 - starts the local processes it names, logs kept open
"""``make cluster-test``: two web processes, two Celery workers and two beat schedulers (beat
started twice, as by mistake) on one PostgreSQL and one Redis; load driven across both web
processes; one worker and one web process killed (SIGKILL) midway. Then it proves:

* every reminder due was delivered to the inbox exactly once and its email sent exactly
  once (emails are written to files by Django's file backend, one per message, and counted
  per reminder), and
* no request was lost beyond the killed web process's: the web process left running had no
  failed request, every failure was on the killed one, and every contact the load test was
  told it logged (a redirect after the POST) is in the database.

Its own database (``CLUSTER_DATABASE_URL``, default ``contact_cluster``, dropped and
created afresh) and Redis database (``CLUSTER_REDIS_URL``, default db 2, flushed). Prints the
counts; exit status 1 if any check fails. Not part of ``make test`` (it takes ~3 minutes).
"""

import contextlib
import csv
import email
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
DB_URL = os.environ.get("CLUSTER_DATABASE_URL",
                        "postgres://postgres@127.0.0.1:5432/contact_cluster")
REDIS_URL = os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/2")
PORTS = [int(p) for p in os.environ.get("CLUSTER_PORTS", "8111,8112").split(",")]
ITEMS = int(os.environ.get("CLUSTER_ITEMS", "1500"))
LOAD_SECONDS = int(os.environ.get("CLUSTER_LOAD_SECONDS", "60"))
KILL_AFTER = LOAD_SECONDS // 2
USERS = int(os.environ.get("CLUSTER_USERS_PER_NODE", "8"))
OUT = ROOT / "var" / "cluster"
MAILDIR = OUT / "mail"
MARK = "Cluster reminder"


def env(**extra) -> dict:
    return {**os.environ, "DATABASE_URL": DB_URL, "REDIS_URL": REDIS_URL,
            "DJANGO_ENV": "development", "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1",
            "CONN_MAX_AGE": "60", "EMAIL_URL": f"filemail:///{MAILDIR}",
            "NOTIFICATIONS_SWEEP_SECONDS": "3", "NOTIFICATIONS_EMAIL_BATCH_SIZE": "50",
            "PYTHONUNBUFFERED": "1", **extra}


def manage(*args, **kw) -> str:
    return subprocess.run([str(VENV / "python"), "manage.py", *args], cwd=ROOT, env=env(),
                          check=True, capture_output=True, text=True, **kw).stdout


def shell(code: str) -> str:
    return manage("shell", "--verbosity", "0", "-c", code).strip()


def start(name: str, argv: list[str], **extra) -> subprocess.Popen:
    log = open(OUT / f"{name}.log", "w")  # kept open for the process
    return subprocess.Popen(argv, cwd=ROOT, env=env(**extra), stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)


def kill(process: subprocess.Popen, sig=signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def wait_healthy(port: int) -> None:
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"web on {port} never became healthy")


def prepare() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    MAILDIR.mkdir(exist_ok=True)
    for old in MAILDIR.iterdir():
        old.unlink()
    name = urllib.parse.urlparse(DB_URL).path.lstrip("/")
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name],
                   check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    manage("migrate", "--noinput", "-v0")
    manage("seed_bench", "--customers", "3000", "--contacts", "12000", "--staff", "120")
    # Reminders for 20 staff with email addresses, due from now until the load ends: beat's
    # sweeps deliver them while both workers run, while one is killed, and after.
    shell(f"""
from datetime import timedelta
from django.utils import timezone
from accounts.models import User
from notifications.models import DueItem
users = list(User.objects.filter(username__startswith="bench-staff-").order_by("pk")[:20])
for u in users:
    if not u.email:
        u.email = u.username + "@example.org"; u.save(update_fields=["email"])
now = timezone.now()
DueItem.objects.bulk_create([
    DueItem(kind="general", key=f"cluster:{{n}}", recipient=users[n % len(users)],
            due_at=now + timedelta(seconds={LOAD_SECONDS + 10} * n / {ITEMS}),
            message=f"{MARK} {{n}}")
    for n in range({ITEMS})])
""")


def count_emails() -> dict[int, int]:
    counts: dict[int, int] = {}
    for path in MAILDIR.iterdir():
        for chunk in path.read_text(errors="replace").split("-" * 79):
            if not chunk.strip():
                continue
            message = email.message_from_string(chunk.strip())
            parts = message.walk() if message.is_multipart() else [message]
            text = ""
            for part in parts:
                if part.get_content_maintype() == "text":
                    text += (part.get_payload(decode=True) or b"").decode(errors="replace")
            text += str(message.get("Subject", ""))
            found = {int(n) for n in re.findall(MARK + r" (\d+)", text)}
            for n in found:
                counts[n] = counts.get(n, 0) + 1
    return counts


def locust_rows(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return list(csv.DictReader(handle))


def main() -> int:
    os.chdir(ROOT)
    print("preparing contact_cluster (migrate, small seed, reminders) ...", flush=True)
    prepare()
    deciders = manage("prepare_load", "--waiting", "20").strip().splitlines()[-1]
    processes = {}
    for i, port in enumerate(PORTS, 1):
        processes[f"web{i}"] = start(f"web{i}", [
            str(VENV / "gunicorn"), "config.wsgi:application", "--config", "config/gunicorn.py",
            "--bind", f"127.0.0.1:{port}", "--log-level", "warning"], GUNICORN_WORKERS="2")
    for i in (1, 2):
        processes[f"worker{i}"] = start(f"worker{i}", [
            str(VENV / "celery"), "-A", "config", "worker", "--loglevel=INFO",
            "--concurrency=1", "-n", f"cluster{i}@%h"])
        processes[f"beat{i}"] = start(f"beat{i}", [  # started twice, by mistake
            str(VENV / "celery"), "-A", "config", "beat", "--loglevel=INFO",
            "--schedule", str(OUT / f"beat{i}-schedule")])
    try:
        for port in PORTS:
            wait_healthy(port)
        print(f"running: 2 web (ports {PORTS}), 2 workers, 2 beats; load for "
              f"{LOAD_SECONDS} s, {USERS} users per web process", flush=True)
        loads = []
        for i, port in enumerate(PORTS, 1):
            loads.append(subprocess.Popen([
                str(VENV / "locust"), "-f", "loadtest/locustfile.py", "--headless",
                "--host", f"http://127.0.0.1:{port}", "--users", str(USERS),
                "--spawn-rate", "4", "--run-time", f"{LOAD_SECONDS}s", "--only-summary",
                "--csv", str(OUT / f"load{i}")], cwd=ROOT,
                env=env(LOAD_DECIDERS=deciders if i == 1 else ""),
                stdout=open(OUT / f"locust{i}.log", "w"), stderr=subprocess.STDOUT))
        time.sleep(KILL_AFTER)
        kill(processes["worker2"])
        kill(processes["web2"])
        killed_at = time.time()
        print(f"killed worker2 and web2 (SIGKILL) after {KILL_AFTER} s", flush=True)
        for load in loads:
            load.wait(timeout=LOAD_SECONDS + 120)
        # Let what is due by now be swept and emailed by the survivors.
        deadline = time.time() + 90
        while time.time() < deadline:
            left = shell("from django.utils import timezone\n"
                         "from notifications.models import DueItem\n"
                         "print(DueItem.objects.filter(key__startswith='cluster:')"
                         ".filter(sent_at__isnull=True).count() + DueItem.objects"
                         ".filter(key__startswith='cluster:', emailed_at__isnull=True).count())")
            if left == "0":
                break
            time.sleep(3)
    finally:
        for process in processes.values():
            kill(process, signal.SIGTERM)
        time.sleep(3)
        for process in processes.values():
            kill(process)
    return report(killed_at)


def report(killed_at: float) -> int:
    db = shell("""
from django.db.models import Count
from notifications.models import DueItem, InboxEntry
from contacts.models import Contact
items = DueItem.objects.filter(key__startswith='cluster:')
inbox = (InboxEntry.objects.filter(due_item__key__startswith='cluster:', escalation=False)
         .values('due_item').annotate(n=Count('id')))
print(items.count(), items.filter(sent_at__isnull=False).count(),
      items.filter(emailed_at__isnull=False).count(), inbox.count(),
      sum(1 for r in inbox if r['n'] > 1),
      Contact.objects.filter(summary='Load test call').count())
""").split()
    items, sent, emailed, inbox_items, inbox_dupes, contacts = map(int, db)
    emails = count_emails()
    once = sum(1 for n in range(ITEMS) if emails.get(n) == 1)
    missing = sum(1 for n in range(ITEMS) if n not in emails)
    twice = sum(1 for v in emails.values() if v > 1)
    rows = [locust_rows(OUT / f"load{i}") for i in (1, 2)]
    total = {i: next(r for r in rows[i - 1] if r["Name"] == "Aggregated") for i in (1, 2)}
    posted = sum(int(r["Request Count"]) - int(r["Failure Count"])
                 for rs in rows for r in rs if r["Name"] == "log contact (POST)")
    failed_posts = sum(int(r["Failure Count"])
                       for rs in rows for r in rs if r["Name"] == "log contact (POST)")
    survivor_failures = int(total[1]["Failure Count"])
    print("\n=== cluster test counts ===")
    print(f"reminders due: {items}; delivered to the inbox: {sent}; inbox entries: "
          f"{inbox_items} items, {inbox_dupes} with more than one")
    print(f"emails: marked sent {emailed}; messages written: {sum(emails.values())}; "
          f"reminders emailed exactly once {once}, more than once {twice}, never {missing}")
    print(f"requests: web1 (left running) {total[1]['Request Count']}, failed "
          f"{survivor_failures}; web2 (killed at {KILL_AFTER} s) {total[2]['Request Count']}, "
          f"failed {total[2]['Failure Count']}")
    print(f"contacts logged: load test saw {posted} succeed ({failed_posts} failed, all on "
          f"the killed process); in the database {contacts}")
    checks = {
        "every reminder delivered": sent == items == inbox_items,
        "no reminder delivered twice": inbox_dupes == 0,
        "every email sent exactly once": once == items and twice == 0,
        "no failed request on the web process left running": survivor_failures == 0,
        "every contact the load test logged is stored":
            posted <= contacts <= posted + failed_posts,
    }
    for name, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    del killed_at
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    # --report-only: count again what the last run left (var/cluster, the database).
    sys.exit(report(0.0) if "--report-only" in sys.argv else main())
