"""The review queue reads the manager's own logs through indexes, not every waiting log
(issue 23's growth: its cost follows the team's backlog, not the organisation's)."""

import re

import pytest
from django.db import connection, transaction

from callogs import selectors
from tests.callogs.factories import SubmittedLogFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                     reason="a PostgreSQL plan")


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # The test tables are tiny, so the planner would scan them whatever the query;
        # with sequential and plain index scans priced out, it shows which conditions
        # each bitmap index scan can answer.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@postgresql_only
def test_the_queue_reads_the_team_logs_by_index(team):
    SubmittedLogFactory.create_batch(3, author=team.caseworker)
    SubmittedLogFactory.create_batch(60, author=team.other_caseworker)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE callogs_terminatedcalllog")

    plan = _plan(selectors.review_queue(team.manager)[:25])

    assert "Seq Scan on callogs_terminatedcalllog" not in plan, plan
    # The team's logs by an author index; an index condition on the status alone would
    # read every waiting log there is.
    assert re.search(r"Index Cond: \(+author_id = ", plan), plan


def test_the_queue_holds_the_team_logs_and_no_one_elses(team):
    own = SubmittedLogFactory.create_batch(2, author=team.caseworker)
    SubmittedLogFactory(author=team.other_caseworker)

    assert list(selectors.review_queue(team.manager)) == sorted(
        own, key=lambda log: (log.submitted_at, log.pk))
    assert selectors.review_queue(team.manager).count() == 2
