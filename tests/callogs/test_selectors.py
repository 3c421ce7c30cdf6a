"""Reads: recorded steps shown with the log, and the author's list at a fixed query cost."""

import pytest
from django.urls import reverse

from callogs import selectors
from contacts.constants import Behaviour
from contacts.models import BehaviourChange
from tests.callogs.factories import DraftLogFactory, SubmittedLogFactory

pytestmark = pytest.mark.django_db


def test_steps_are_empty_until_the_contacts_app_records_them(team):
    log = DraftLogFactory(contact__staff=team.caseworker)
    assert selectors.steps_for(log.contact) == []


def test_the_behaviour_history_is_shown_with_the_log(team, client_for):
    log = SubmittedLogFactory(contact__staff=team.caseworker)
    for behaviour in (Behaviour.DIFFICULT, Behaviour.ABUSIVE):
        BehaviourChange.objects.create(contact=log.contact, behaviour=behaviour,
                                       recorded_by=team.caseworker)
    assert [c.behaviour for c in selectors.behaviour_history(log.contact)] == [
        Behaviour.DIFFICULT, Behaviour.ABUSIVE]
    html = client_for(team.manager).get(
        reverse("callogs:log_detail", args=[log.pk])).content.decode()
    assert "Recorded steps" in html
    assert "Abusive or threatening" in html


@pytest.mark.parametrize("count", [1, 30])
def test_my_logs_costs_one_query(team, django_assert_num_queries, count):
    DraftLogFactory.create_batch(count, contact__staff=team.caseworker)
    with django_assert_num_queries(1):
        logs = list(selectors.logs_for_author(team.caseworker))
        assert [log.contact.pk for log in logs]
    assert len(logs) == count
