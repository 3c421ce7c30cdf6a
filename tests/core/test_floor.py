"""Issue 23, the lean floor: what every signed-in request costs, and that the shortcuts
(session renewal once a minute, role names kept in the session, the unread count kept in the
shared cache) still behave as documented (docs/SECURITY.md: sessions end after 30 idle
minutes; a role change takes effect on the next request)."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from notifications.models import InboxEntry
from tests.contacts.factories import CustomerFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def _expiry(client) -> dt.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_databases_keep_connections_with_health_checks():
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        assert db["CONN_MAX_AGE"] == 0
    else:
        assert db["CONN_MAX_AGE"] == 60
    assert db["CONN_HEALTH_CHECKS"] is True
    assert settings.SESSION_SAVE_EVERY_REQUEST is False


def test_an_empty_page_costs_two_queries(client_for, make_user,
                                         django_assert_num_queries):
    client = client_for(make_user(Role.CASEWORKER))
    client.get(reverse("core:help_index"))  # the first request keeps roles and count
    with django_assert_num_queries(2):  # the session and the user; nothing written
        response = client.get(reverse("core:help_index"))
    assert response.status_code == 200
    assert b"Help" in response.content


def test_the_name_lookup_costs_three_queries(client_for, make_user,
                                            django_assert_num_queries):
    """On PostgreSQL: the session, the user and the one name statement (the rows, their
    case references and badges). SQLite (``make run``) asks a query a part: the family and
    given-name prefixes (a full page stops there), the case references and the badges."""
    from django.db import connection

    for i in range(25):  # a page full of prefix matches, as a common surname gives
        CustomerFactory(given_name=f"Ann{i}", family_name="Smithson")
    client = client_for(make_user(Role.CASEWORKER))
    client.get(reverse("contacts:lookup"), {"q": "Smithson"})
    with django_assert_num_queries(3 if connection.vendor == "postgresql" else 6):
        response = client.get(reverse("contacts:lookup"), {"q": "Smithson"})
    assert response.status_code == 200
    assert b"Smithson" in response.content


def test_the_session_is_renewed_at_most_once_a_minute(client, make_user):
    user = make_user(Role.CASEWORKER)
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(user)
        client.get(reverse("core:help_index"))
        first = _expiry(client)
        assert first == START + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        clock.shift(dt.timedelta(seconds=30))
        client.get(reverse("core:help_index"))
        assert _expiry(client) == first, "renewed twice within a minute"
        clock.shift(dt.timedelta(seconds=31))
        client.get(reverse("core:help_index"))
        assert _expiry(client) == timezone.now() + dt.timedelta(
            seconds=settings.SESSION_COOKIE_AGE)


def test_an_idle_session_still_ends_within_thirty_minutes(client, make_user):
    user = make_user(Role.CASEWORKER)
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(user)
        assert client.get(reverse("core:help_index")).status_code == 200  # renewed
        clock.shift(dt.timedelta(seconds=50))
        assert client.get(reverse("core:help_index")).status_code == 200  # not renewed
        # 30 minutes after the renewal, 29 min 10 s after the last request: ended.
        clock.shift(dt.timedelta(minutes=29, seconds=11))
        response = client.get(reverse("core:help_index"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_an_active_session_lives_on(client, make_user):
    user = make_user(Role.CASEWORKER)
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(user)
        for _ in range(4):  # two hours, a request every 29 minutes
            clock.shift(dt.timedelta(minutes=29))
            assert client.get(reverse("core:help_index")).status_code == 200


def test_a_role_removed_takes_effect_on_the_next_request(client_for, make_user):
    user = make_user(Role.CASEWORKER)
    client = client_for(user)
    assert client.get(reverse("contacts:lookup")).status_code == 200
    assert client.get(reverse("contacts:lookup")).status_code == 200  # from the session
    user.groups.remove(Group.objects.get(name=Role.CASEWORKER))
    assert client.get(reverse("contacts:lookup")).status_code == 403


def test_a_role_granted_from_the_group_side_takes_effect(client_for, make_user):
    user = make_user()
    client = client_for(user)
    assert client.get(reverse("contacts:lookup")).status_code == 403
    Group.objects.get(name=Role.CASEWORKER).user_set.add(user)
    assert client.get(reverse("contacts:lookup")).status_code == 200


def test_a_stale_copy_of_the_user_saved_later_keeps_the_new_version(client_for, make_user):
    user = make_user(Role.CASEWORKER)
    stale = type(user).objects.get(pk=user.pk)
    client = client_for(user)
    assert client.get(reverse("contacts:lookup")).status_code == 200
    user.groups.clear()
    stale.first_name = "Renamed"
    stale.save()  # its roles_version is the old one
    assert client.get(reverse("contacts:lookup")).status_code == 403


def test_the_unread_count_follows_new_entries_and_reads(client_for, make_user,
                                                        django_capture_on_commit_callbacks):
    from notifications.services import inbox_mark_all_read, schedule, sweep

    user = make_user(Role.CASEWORKER)
    client = client_for(user)

    def shown() -> str:
        return client.get(reverse("core:help_index")).content.decode()

    assert _unread_in_header(shown()) == 0  # counted and kept
    schedule(kind="welfare_follow_up_due", key="floor-1", target=None, recipient=user,
             due_at=timezone.now(), message="Call back", link="")
    schedule(kind="welfare_follow_up_due", key="floor-2", target=None, recipient=user,
             due_at=timezone.now(), message="Call back", link="")
    with django_capture_on_commit_callbacks(execute=True):
        sweep(now=timezone.now() + dt.timedelta(seconds=1))
    assert InboxEntry.objects.filter(recipient=user, read_at__isnull=True).count() == 2
    assert _unread_in_header(shown()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        inbox_mark_all_read(user=user)
    assert _unread_in_header(shown()) == 0


def _unread_in_header(html: str) -> int:
    import re

    return int(re.search(r"Notifications \((\d+) unread\)", html).group(1))
