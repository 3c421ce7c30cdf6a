"""Open-loop capacity: the realistic mix of ``locustfile.py`` at offered rates stepped up.

Run by ``make load-capacity`` (``scripts/load.sh --open-loop``, which sets
``LOAD_OPEN_LOOP=1``: ``locustfile.py`` then imports this module's shape and pacing).
Think time does not set the rate here: all users sign in first (PBKDF2 is slow by design,
so sign-ins are kept out of the steps), then every user paces its tasks so that all of
them together offer
``LOAD_RATES`` tasks a second in turn (``10,20,...``), each for ``LOAD_STEP_SECONDS``.
A step is *sustained* when the requests it completed kept up with what was offered (at
least 90%), its p95 is under ``LOAD_P95_MS`` (250) and no request failed. The highest
sustained step is the capacity; the table and that figure are printed at the end and
written to ``var/load_capacity.json``.

Each user keeps its own schedule (the start of each task is ``interval`` after the start of
the last), so a slow response does not lower the rate offered unless every user is busy:
then the step is not sustained (the "kept up" column shows it). Enough users are started
(``LOAD_USERS``, 40) that at 250 ms per request they could offer far more than the top step.
"""

import json
import math
import os
import sys
import time
from pathlib import Path

from locust import LoadTestShape, events

RATES = [float(r) for r in os.environ.get("LOAD_RATES", "5,10,20,30,40,50").split(",")]
STEP_SECONDS = float(os.environ.get("LOAD_STEP_SECONDS", "20"))
USERS = int(os.environ.get("LOAD_USERS", "40"))
SPAWN_RATE = float(os.environ.get("LOAD_SPAWN_RATE", "2"))
P95_MS = float(os.environ.get("LOAD_P95_MS", "250"))
KEPT_UP = 0.9
SETTLE = 3.0  # seconds after the users are all running before the first step

STATE = {"rate": RATES[0], "steps_started": None}
SAMPLES: list[tuple[float, float, bool]] = []  # (time, response ms, failed)
TASKS: list[float] = []  # when each task (one pass of a user's loop) ended


def paced(user) -> float:
    """Wait so this user starts a task every users/rate seconds (constant pacing)."""
    runner = user.environment.runner
    interval = max(runner.user_count if runner else USERS, 1) / STATE["rate"]
    now = time.monotonic()
    if STATE["steps_started"] is not None:
        TASKS.append(now)
    last = getattr(user, "_paced_last", None)
    user._paced_last = now if last is None else max(now, last + interval)
    if last is None:  # first task: a random phase, so users do not fire together
        import random
        return random.uniform(0, interval)
    return max(0.0, last + interval - now)


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kw):
    if STATE["steps_started"] is not None and not name.startswith(("sign in", "two-factor")):
        SAMPLES.append((time.monotonic(), response_time, exception is not None))


class SteppedRate(LoadTestShape):
    """All users up first, then the offered rate steps through RATES."""

    def tick(self):
        runner = self.runner
        if STATE["steps_started"] is None:
            # Every user started AND signed in (sign-ins queue behind PBKDF2), then a pause.
            signed_in = sys.modules["locustfile"].SIGNED_IN[0]
            if runner.user_count >= USERS and signed_in >= USERS and STATE.get("ready"):
                if time.monotonic() - STATE["ready"] > SETTLE:
                    STATE["steps_started"] = time.monotonic()
            elif runner.user_count >= USERS and signed_in >= USERS:
                STATE["ready"] = time.monotonic()
            return USERS, SPAWN_RATE
        elapsed = time.monotonic() - STATE["steps_started"]
        step = int(elapsed // STEP_SECONDS)
        if step >= len(RATES):
            return None
        STATE["rate"] = RATES[step]
        return USERS, SPAWN_RATE


def _p95(values: list[float]) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


@events.quitting.add_listener
def _report(environment, **kw):
    start = STATE["steps_started"]
    if start is None:
        print("open-loop: the users never all started; no steps measured")
        return
    rows, best = [], None
    for index, rate in enumerate(RATES):
        lo, hi = start + index * STEP_SECONDS, start + (index + 1) * STEP_SECONDS
        # The first 2 s of a step are the change-over from the last rate: left out.
        window = [s for s in SAMPLES if lo + 2 <= s[0] < hi]
        seconds = max(hi - lo - 2, 1e-9)
        done = len(window) / seconds
        tasks = sum(1 for t in TASKS if lo + 2 <= t < hi) / seconds
        rows.append({"offered_tasks_per_s": rate, "tasks_per_s": round(tasks, 1),
                     "requests_per_s": round(done, 1),
                     "p95_ms": _p95([s[1] for s in window]),
                     "errors": sum(1 for s in window if s[2]), "requests": len(window)})
    print(f"\nopen-loop steps ({STEP_SECONDS:g} s each, first 2 s of each left out), "
          f"{USERS} users; sustained = kept up >= {KEPT_UP:.0%}, p95 < {P95_MS:g} ms, 0 errors")
    print(f"{'offered tasks/s':>16} {'done tasks/s':>13} {'requests/s':>11} {'kept up':>8} "
          f"{'p95 ms':>8} {'errors':>7}  sustained")
    for row in rows:
        kept = row["tasks_per_s"] / row["offered_tasks_per_s"]
        row["kept_up"] = round(kept, 2)
        row["sustained"] = (kept >= KEPT_UP and row["p95_ms"] < P95_MS and row["errors"] == 0)
        if row["sustained"] and (best is None or row["requests_per_s"] > best["requests_per_s"]):
            best = row
        print(f"{row['offered_tasks_per_s']:>16g} {row['tasks_per_s']:>13.1f} "
              f"{row['requests_per_s']:>11.1f} "
              f"{kept:>8.0%} {row['p95_ms']:>8.0f} {row['errors']:>7}  "
              f"{'yes' if row['sustained'] else 'no'}")
    if best:
        print(f"\nCAPACITY: {best['requests_per_s']:.1f} requests/s sustained "
              f"(offered {best['offered_tasks_per_s']:g} tasks/s; p95 {best['p95_ms']:.0f} ms, "
              f"0 errors)")
    else:
        print("\nCAPACITY: no step was sustained")
    Path("var").mkdir(exist_ok=True)
    Path("var/load_capacity.json").write_text(json.dumps(
        {"steps": rows, "capacity": best, "users": USERS, "step_seconds": STEP_SECONDS},
        indent=2, default=str))
