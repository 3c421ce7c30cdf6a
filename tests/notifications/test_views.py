"""Your notifications and your reminders: each person sees and changes only their own."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from notifications.context_processors import unread_notifications
from notifications.models import InboxEntry
from tests.notifications.factories import DueItemFactory, InboxEntryFactory, SentDueItemFactory

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")
REMINDERS = reverse("notifications:reminders")
READ_ALL = reverse("notifications:mark_all_read")


@pytest.fixture
def owner(make_user):
    return make_user(Role.CASEWORKER, username="owner")


@pytest.fixture
def other(make_user):
    return make_user(Role.CASEWORKER, username="other")


def test_inbox_lists_only_your_own_notifications_unread_first(client_for, owner, other):
    now = timezone.now()
    InboxEntryFactory(recipient=owner, text="Old unread", created_at=now - timedelta(days=2))
    InboxEntryFactory(recipient=owner, text="Newer but read", created_at=now, read_at=now)
    InboxEntryFactory(recipient=owner, text="New unread", link="/customers/5/",
                      created_at=now - timedelta(hours=1))
    InboxEntryFactory(recipient=other, text="Someone else's")

    response = client_for(owner).get(INBOX)

    assert response.status_code == 200
    assert [e.text for e in response.context["page"]] == [
        "New unread", "Old unread", "Newer but read"]
    html = response.content.decode()
    assert '<a class="govuk-link" href="/customers/5/">New unread</a>' in html
    assert "Someone else" not in html
    assert "Notifications (2 unread)" in html


def test_inbox_is_paginated(client_for, owner):
    InboxEntryFactory.create_batch(30, recipient=owner)
    client = client_for(owner)
    assert len(client.get(INBOX).context["page"]) == 25
    second = client.get(INBOX, {"page": 2})
    assert len(second.context["page"]) == 5
    assert "Page 2 of 2" in second.content.decode()


@pytest.mark.parametrize("url", [INBOX, REMINDERS])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_you_can_mark_your_own_notification_read(client_for, owner):
    entry = InboxEntryFactory(recipient=owner)
    response = client_for(owner).post(
        reverse("notifications:mark_read", args=[entry.pk]), {"page": "2"})
    assert response.status_code == 302
    assert response["Location"] == f"{INBOX}?page=2"
    entry.refresh_from_db()
    assert entry.read_at is not None


def test_you_cannot_mark_someone_elses_notification_read(client_for, owner, other):
    entry = InboxEntryFactory(recipient=other)
    response = client_for(owner).post(reverse("notifications:mark_read", args=[entry.pk]))
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.read_at is None


def test_mark_read_needs_post_and_an_existing_entry(client_for, owner):
    entry = InboxEntryFactory(recipient=owner)
    client = client_for(owner)
    assert client.get(reverse("notifications:mark_read", args=[entry.pk])).status_code == 405
    assert client.post(reverse("notifications:mark_read", args=[entry.pk + 999])).status_code \
        == 404
    assert client.post(reverse("notifications:mark_read", args=[entry.pk]),
                       {"page": "https://evil.example"})["Location"] == INBOX


def test_anonymous_cannot_mark_read(client, owner):
    entry = InboxEntryFactory(recipient=owner)
    response = client.post(reverse("notifications:mark_read", args=[entry.pk]))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.read_at is None


def test_mark_all_read_changes_only_your_own(client_for, owner, other):
    InboxEntryFactory.create_batch(3, recipient=owner)
    theirs = InboxEntryFactory(recipient=other)
    response = client_for(owner).post(READ_ALL, follow=True)
    assert "3 notifications marked as read" in response.content.decode()
    assert "Notifications (0 unread)" in response.content.decode()
    assert not InboxEntry.objects.filter(recipient=owner, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client_for(owner).get(READ_ALL).status_code == 405


def test_reminders_page_shows_your_open_items_soonest_first(client_for, owner, other):
    now = timezone.now()
    DueItemFactory(recipient=owner, message="Later", due_at=now + timedelta(days=2))
    SentDueItemFactory(recipient=owner, message="Sooner", due_at=now - timedelta(hours=1))
    DueItemFactory(recipient=owner, message="Done", completed_at=now)
    DueItemFactory(recipient=owner, message="Cancelled", cancelled_at=now)
    DueItemFactory(recipient=other, message="Not yours")

    response = client_for(owner).get(REMINDERS)

    assert response.status_code == 200
    assert [i.message for i in response.context["page"]] == ["Sooner", "Later"]
    html = response.content.decode()
    assert "Due now" in html
    assert "Not due yet" in html
    assert "Not yours" not in html


def test_a_user_with_no_role_still_has_an_inbox(client_for, make_user):
    assert client_for(make_user()).get(INBOX).status_code == 200


def test_navigation_links_to_the_inbox(client_for, owner):
    html = client_for(owner).get(reverse("core:home")).content.decode()
    assert f'href="{INBOX}"' in html


# --- Query cost -----------------------------------------------------------------------------


def test_header_unread_count_is_one_query(owner, django_assert_num_queries):
    InboxEntryFactory.create_batch(3, recipient=owner)
    InboxEntryFactory(recipient=owner, read_at=timezone.now())
    request = RequestFactory().get("/")
    request.user = owner
    with django_assert_num_queries(1):
        assert unread_notifications(request)["notifications_unread"]() == 3


def test_header_count_costs_nothing_for_anonymous_visitors(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert unread_notifications(request) == {}


def _count_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_the_header_adds_exactly_one_query_to_a_page(client_for, owner):
    client = client_for(owner)
    queries = _count_queries(client, reverse("core:home"))
    counting = [q for q in queries if "notifications_inboxentry" in q]
    assert len(counting) == 1, "the unread count must be a single query per page"


def _page_cost(client, url) -> tuple[int, list[str]]:
    """All queries of a page, and those on this app's tables (the part this app controls)."""
    queries = _count_queries(client, url)
    return len(queries), [q for q in queries if "notifications_" in q]


@pytest.mark.parametrize(
    ("url", "factory"), [(INBOX, InboxEntryFactory), (REMINDERS, DueItemFactory)])
def test_pages_cost_a_fixed_number_of_queries(client_for, owner, other, url, factory):
    client = client_for(owner)
    factory(recipient=owner)
    client.get(url)  # the first request keeps the role names and the header's unread count
    total_at_one, ours = _page_cost(client, url)
    # the paginator's count and the page of rows (the header's count is kept: issue 23)
    assert len(ours) == 2, "query count changed:\n" + "\n".join(ours)
    factory.create_batch(59, recipient=owner)
    factory.create_batch(5, recipient=other)
    total_at_many, ours = _page_cost(client, url)
    assert total_at_many == total_at_one, "the page costs more queries with more rows"
    assert len(ours) == 2
