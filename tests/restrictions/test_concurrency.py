"""Two deciders at the same moment: exactly one decision stands (7.2), on PostgreSQL.

Two real database connections (one per thread). The first decider holds the row lock
inside an open transaction; the second blocks on ``select_for_update`` until the first
commits, then sees a clear message and changes nothing.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from restrictions import services
from restrictions.constants import Status
from restrictions.models import Restriction

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_deciders_at_once_exactly_one_decision_stands(org, submitted):
    assert connection.vendor == "postgresql"
    first_holds_lock = threading.Event()
    release_first = threading.Event()
    second_started = threading.Event()
    results: dict[str, object] = {}

    def head_approves():
        try:
            with transaction.atomic():
                services.restriction_approve(restriction=submitted, actor=org.head)
                first_holds_lock.set()
                release_first.wait(timeout=10)
            results["head"] = "approved"
        except Exception as error:
            results["head"] = error
        finally:
            connection.close()

    def deputy_refuses():
        first_holds_lock.wait(timeout=10)
        second_started.set()
        try:
            services.restriction_refuse(restriction=submitted, actor=org.deputy,
                                        reason="Not enough grounds")
            results["deputy"] = "refused"
        except Exception as error:
            results["deputy"] = error
        finally:
            connection.close()

    head = threading.Thread(target=head_approves)
    deputy = threading.Thread(target=deputy_refuses)
    head.start()
    deputy.start()
    second_started.wait(timeout=10)
    deputy.join(timeout=1)
    # The deputy is still waiting for the head's lock: nothing is decided twice.
    assert deputy.is_alive()
    release_first.set()
    head.join(timeout=10)
    deputy.join(timeout=10)

    assert results["head"] == "approved"
    assert isinstance(results["deputy"], ValidationError)
    message = " ".join(results["deputy"].messages)
    assert "already been decided by" in message
    assert "Your decision was not saved" in message
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVED
    assert submitted.decided_by == org.head
    assert list(Restriction.objects.get(pk=submitted.pk).transitions
                .values_list("action", flat=True)) == ["approve"]
