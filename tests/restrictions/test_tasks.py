"""Expiry by time (beat) and review items (12): restrictions lapse unless renewed."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from restrictions import selectors, services, tasks
from restrictions.constants import Status
from tests.restrictions.factories import ApprovedRestrictionFactory

pytestmark = pytest.mark.django_db


def test_beat_runs_the_expiry_task_hourly():
    entry = settings.CELERY_BEAT_SCHEDULE["restrictions-expire-lapsed"]
    assert entry == {"task": "restrictions.expire_lapsed", "schedule": 3600.0}
    assert tasks.expire_lapsed.name == "restrictions.expire_lapsed"


def test_a_restriction_expires_by_itself_after_its_review_date_and_leaves_the_banners(
        org, approved):
    review = approved.review_date
    with time_machine.travel(timezone.make_aware(
            timezone.datetime.combine(review, timezone.datetime.min.time())) + timedelta(hours=12)):
        tasks.expire_lapsed()
        approved.refresh_from_db()
        assert approved.status == Status.UNDER_REVIEW  # still in force on its review date
        assert selectors.banners_for_customer(org.customer)
    with time_machine.travel(timezone.make_aware(
            timezone.datetime.combine(review + timedelta(days=1),
                                      timezone.datetime.min.time())) + timedelta(hours=1)):
        assert selectors.banners_for_customer(org.customer) == []  # dates, before the beat
        tasks.expire_lapsed()
        approved.refresh_from_db()
        assert approved.status == Status.EXPIRED
        move = approved.transitions.last()
        assert (move.action, move.actor) == ("expire", None)


def test_a_restriction_expires_after_its_end_date(org):
    today = timezone.localdate()
    restriction = ApprovedRestrictionFactory(
        customer=org.customer, requested_by=org.manager, decided_by=org.head,
        end_date=today + timedelta(days=3))
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        result = services.restrictions_sweep()
    restriction.refresh_from_db()
    assert restriction.status == Status.EXPIRED
    assert result["expired"] == 1


def test_the_review_window_marks_it_under_review_then_renewal_keeps_it(org, approved):
    with time_machine.travel(timezone.now() + timedelta(days=80)):
        services.restrictions_sweep()
        approved.refresh_from_db()
        assert approved.status == Status.UNDER_REVIEW
        services.restriction_renew(restriction=approved, actor=org.head, reason="Still",
                                   review_date=timezone.localdate() + timedelta(days=60))
    with time_machine.travel(timezone.now() + timedelta(days=100)):
        services.restrictions_sweep()
        approved.refresh_from_db()
        assert approved.status == Status.RENEWED
