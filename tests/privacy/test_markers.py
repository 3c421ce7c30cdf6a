"""Markers reviewed (the regulator's guidance on markers; procedure 12): a restriction due for
review is flagged to the Head of Department; one that lapsed loses its banner at once and
keeps its grounds only for its retention period."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from dashboards.reports import REPORTS, compute, report_scope
from notifications.models import InboxEntry
from notifications.services import sweep as notifications_sweep
from privacy import registry, sweep
from restrictions import services as restriction_services
from restrictions.constants import Status
from tests.restrictions import conftest as restrictions_fixtures

pytestmark = pytest.mark.django_db

# The restriction tests' organisation (two departments, each with its chain).
org = restrictions_fixtures.org
submitted = restrictions_fixtures.submitted
_role_groups = restrictions_fixtures._role_groups


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def test_a_review_coming_due_is_flagged_to_the_head_of_department(org, submitted):
    restriction_services.restriction_approve(restriction=submitted, actor=org.head)
    submitted.refresh_from_db()
    with time_machine.travel(_at(submitted.review_date - dt.timedelta(days=13)), tick=False):
        notifications_sweep()
    texts = list(InboxEntry.objects.filter(recipient=org.head).values_list("text", flat=True))
    assert any(t.startswith("Review of") and "due by" in t for t in texts)


def _in_force_report(user, first: dt.date, last: dt.date):
    figures = compute(REPORTS["restrictions"], scope=report_scope(user), date_from=first,
                      date_to=last, by="month")
    return [(r.key, r.values) for r in figures.rows]


def test_a_lapsed_restriction_loses_its_banner_and_its_grounds_after_the_period(
        org, submitted, client_for):
    restriction_services.restriction_approve(restriction=submitted, actor=org.head)
    submitted.refresh_from_db()
    page = reverse("contacts:customer_detail", args=[org.customer.pk])
    caseworker = client_for(org.caseworker)
    assert "restriction-banner" in caseworker.get(page).content.decode()

    lapsed_on = submitted.review_date + dt.timedelta(days=1)
    with time_machine.travel(_at(lapsed_on), tick=False):
        restriction_services.restrictions_sweep()
        submitted.refresh_from_db()
        assert submitted.status == Status.EXPIRED
        assert "restriction-banner" not in caseworker.get(page).content.decode()
    assert submitted.grounds == "Repeated calls about a closed case."  # kept for now

    senior = org.senior
    first, last = submitted.start_date, lapsed_on
    before = _in_force_report(senior, first, last)
    assert before
    rule = registry.RULES["restrictions.Restriction"]
    just_inside = _at(submitted.review_date + dt.timedelta(days=rule.days - 1))
    assert sweep.pending(rule, just_inside).count() == 0
    after_period = _at(submitted.review_date + dt.timedelta(days=rule.days + 1))
    with time_machine.travel(after_period, tick=False):
        sweep.apply(timezone.now())
    submitted.refresh_from_db()
    assert submitted.grounds == registry.REMOVED_TEXT
    assert (submitted.status, submitted.kind) == (Status.EXPIRED, "restriction")
    assert _in_force_report(senior, first, last) == before
    assert submitted.transitions.exclude(reason="").count() == 0  # reasons went too
