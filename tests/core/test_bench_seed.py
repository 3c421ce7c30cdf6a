"""The bench seed: terminated-call logs are reviewed as a line manager would (8.2)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from callogs.constants import LogStatus
from callogs.models import LogReview, TerminatedCallLog
from core.bench import seed_more

NOW = timezone.now()


@pytest.mark.parametrize(("days_ago", "log_id", "has_line_manager", "reviewed"), [
    (30, 7, True, True),      # an older log: discussed
    (15, 7, True, True),
    (13, 7, True, False),     # within the fortnight: still waiting
    (1, 7, True, False),
    (30, 100, True, False),   # one older log in fifty: the manager's backlog
    (30, 7, False, False),    # nobody to discuss it with
])
def test_which_logs_the_seed_marks_reviewed(days_ago, log_id, has_line_manager, reviewed):
    assert seed_more.log_is_reviewed(log_id=log_id, call_at=NOW - timedelta(days=days_ago),
                                     has_line_manager=has_line_manager, now=NOW) is reviewed


@pytest.mark.django_db
def test_seeded_logs_follow_the_rule_and_reviewed_ones_have_a_review(capsys):
    call_command("seed_bench", customers=300, contacts=6000)  # staff: the default
    # One member of staff per 5,000 customers, at least 20: two managers with nine each.
    managers = User.objects.filter(username__startswith="bench-manager-")
    caseworkers = User.objects.filter(username__startswith="bench-staff-")
    assert (managers.count(), caseworkers.count()) == (2, 18)
    assert {c.line_manager_id for c in caseworkers} == {m.pk for m in managers}
    logs = list(TerminatedCallLog.objects.select_related("author"))
    assert len(logs) > 40
    statuses = {log.status for log in logs}
    assert statuses == {LogStatus.SUBMITTED, LogStatus.REVIEWED}
    for log in logs:
        expected = seed_more.log_is_reviewed(
            log_id=log.pk, call_at=log.call_at, now=timezone.now(),
            has_line_manager=log.author.line_manager_id is not None)
        assert (log.status == LogStatus.REVIEWED) is expected, log.pk
    reviews = {r.log_id: r for r in LogReview.objects.all()}
    reviewed = [log for log in logs if log.status == LogStatus.REVIEWED]
    assert set(reviews) == {log.pk for log in reviewed}
    for log in reviewed:
        review = reviews[log.pk]
        assert review.reviewer_id == log.author.line_manager_id
        assert log.submitted_at < log.reviewed_at == review.reviewed_at <= timezone.now()
        assert review.discussed_on == timezone.localdate(log.reviewed_at)
