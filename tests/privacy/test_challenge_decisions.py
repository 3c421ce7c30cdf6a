"""Issue 19, finding 6: a challenge decision (UK GDPR Art. 16) is final.

A one-way move from pending under a row lock, like restriction decisions: a second decision,
whether later or at the same moment, is refused with a clear message and changes nothing.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from audit.models import AuditEvent
from privacy import services
from privacy.constants import ChallengeOutcome
from privacy.models import RecordChallenge
from tests.accounts.factories import UserFactory
from tests.contacts.factories import CustomerFactory


def _challenge(officer) -> RecordChallenge:
    return RecordChallenge.objects.create(
        customer=CustomerFactory(), statement="That is not what I said.",
        received_on=timezone.localdate(), recorded_by=officer)


@pytest.mark.django_db
def test_a_later_decision_is_refused_and_changes_nothing(client_for):
    officer = UserFactory(roles=[Role.COMPLIANCE])
    challenge = _challenge(officer)
    client = client_for(officer)
    url = reverse("privacy:challenge_decide", args=[challenge.pk])
    first = client.post(url, {"outcome": ChallengeOutcome.CORRECTED, "note": "Fixed it."})
    assert first.status_code == 302
    second = client.post(url, {"outcome": ChallengeOutcome.NOT_CORRECTED,
                               "note": "Changed my mind."})
    assert second.status_code == 200
    assert "already been decided" in second.content.decode()
    challenge.refresh_from_db()
    assert challenge.outcome == ChallengeOutcome.CORRECTED
    assert challenge.outcome_note == "Fixed it."
    assert challenge.decided_by == officer
    assert challenge.decided_at is not None
    assert AuditEvent.objects.filter(action="recordchallenge.decided").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_decisions_at_once_exactly_one_stands():
    assert connection.vendor == "postgresql"
    first_officer = UserFactory(roles=[Role.COMPLIANCE])
    second_officer = UserFactory(roles=[Role.COMPLIANCE])
    challenge = _challenge(first_officer)
    first_holds_lock, release_first = threading.Event(), threading.Event()
    second_started = threading.Event()
    results: dict[str, object] = {}

    def first():
        try:
            with transaction.atomic():
                services.challenge_decide(challenge=challenge, actor=first_officer,
                                          outcome=ChallengeOutcome.CORRECTED, note="Fixed.")
                first_holds_lock.set()
                release_first.wait(timeout=10)
            results["first"] = "decided"
        except Exception as error:  # reported below
            results["first"] = error
        finally:
            connection.close()

    def second():
        first_holds_lock.wait(timeout=10)
        second_started.set()
        try:
            services.challenge_decide(challenge=challenge, actor=second_officer,
                                      outcome=ChallengeOutcome.NOT_CORRECTED, note="No.")
            results["second"] = "decided"
        except Exception as error:  # reported below
            results["second"] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    second_started.wait(timeout=10)
    threads[1].join(timeout=1)
    assert threads[1].is_alive(), "the second decision must wait for the first's row lock"
    release_first.set()
    for thread in threads:
        thread.join(timeout=10)
    assert results["first"] == "decided"
    assert isinstance(results["second"], ValidationError)
    assert "already been decided" in " ".join(results["second"].messages)
    challenge.refresh_from_db()
    assert (challenge.outcome, challenge.outcome_note) == (ChallengeOutcome.CORRECTED, "Fixed.")
    assert challenge.decided_by == first_officer


@pytest.mark.django_db
def test_the_database_refuses_a_decision_without_a_decider():
    from django.db import IntegrityError

    challenge = _challenge(UserFactory(roles=[Role.COMPLIANCE]))
    with pytest.raises(IntegrityError), transaction.atomic():
        RecordChallenge.objects.filter(pk=challenge.pk).update(
            outcome=ChallengeOutcome.CORRECTED)
