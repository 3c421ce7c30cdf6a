"""Bench seeder for callbacks (7.3, 9.1): about one contact in 25 has one, written by SQL.

Each is due 24 hours after its contact. Older ones were mostly made on time, some late, and
a few were never made (overdue); those due in the last two days or later are still arranged.
The spread is decided from a hash of the contact id (not the id itself, which would line up
with the members of staff the contacts were dealt out to), so a seed repeats exactly. Registered in
``core.bench.seeding.EXTRA_SEEDERS`` (imported by ``seed_bench``).
"""

from collections.abc import Iterator

from django.db import connection

from contacts.constants import CallbackStatus
from core.bench import seeding

EVERY = 25

_SQL = """
INSERT INTO contacts_callback (contact_id, assigned_to_id, due_at, late_reason, is_escalation,
                               status, arranged_by_id, arranged_at, done_at, done_note)
SELECT c.id, c.staff_id, c.started_at + interval '24 hours', '', false,
       CASE WHEN c.started_at > now() - interval '3 days' OR (abs(hashint8(c.id)) / %(every)s) %% 100 < 2
            THEN %(arranged)s ELSE %(done)s END,
       c.staff_id, c.started_at,
       CASE WHEN c.started_at > now() - interval '3 days' OR (abs(hashint8(c.id)) / %(every)s) %% 100 < 2
            THEN NULL
            WHEN (abs(hashint8(c.id)) / %(every)s) %% 100 < 15  -- made late
            THEN c.started_at + interval '24 hours' + ((c.id %% 47) + 1) * interval '1 hour'
            ELSE c.started_at + interval '2 hours' + (c.id %% 20) * interval '1 hour' END,
       ''
FROM contacts_contact c
WHERE c.id > %(after)s AND abs(hashint8(c.id)) %% %(every)s = 0
"""


def callbacks(plan: seeding.Plan) -> Iterator[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(_SQL, {"every": EVERY, "after": plan.base["contacts.Contact"],
                              "arranged": CallbackStatus.ARRANGED,
                              "done": CallbackStatus.DONE})
        rows = cursor.rowcount
    yield rows, rows


seeding.EXTRA_SEEDERS.append(("callbacks", callbacks))
