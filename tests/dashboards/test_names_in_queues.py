"""Issues 16 and 24: every queue row names the customer (and a callback the number to call),
within the permission rules, at a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.constants import Role
from callogs.constants import LogStatus
from callogs.models import TerminatedCallLog
from contacts.models import Callback, CustomerPhone, WrittenCommentReview
from tests.dashboards.conftest import contacts, populate

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")


@pytest.fixture
def phone(world):
    return CustomerPhone.objects.create(customer=world.customer, number="01632 960 001")


def _count(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_home_rows_name_the_customer_and_the_number_to_call(world, phone, client_for):
    populate(world, 1)
    html = client_for(world.boss).get(HOME).content.decode()
    assert "Call back Jo Caller" in html
    assert "on 01632 960 001" in html
    assert "Log by" in html
    assert "call from Jo Caller" in html  # the manager's review queue shows the caller
    assert "Log of the call from Jo Caller" in html
    assert "At-risk report" in html
    assert "about Jo Caller" in html


def test_someone_who_may_not_see_customers_sees_no_name_or_number(world, phone, make_user,
                                                                   client_for):
    admin = make_user(Role.ADMINISTRATOR)
    (contact,) = contacts(world, 1, world.caseworker2)
    Callback.objects.create(contact=contact, assigned_to=admin, arranged_by=world.caseworker2,
                            due_at=contact.started_at)
    client = client_for(admin)
    html = client.get(HOME).content.decode()
    assert "Call back a customer" in html
    assert "Jo Caller" not in html
    assert "01632" not in html
    queue = client.get(reverse("contacts:queue")).content.decode()
    assert "Jo Caller" not in queue
    assert "01632" not in queue


def test_home_queries_equal_at_1_and_many_named_rows(world, phone, client_for):
    client = client_for(world.boss)
    populate(world, 1)
    one, html = _count(client, HOME)
    assert "Call back Jo Caller" in html
    populate(world, 60)
    many, html = _count(client, HOME)
    assert html.count("Call back Jo Caller") == 5  # the first few
    assert one == many


def _submitted_logs(world, n):
    TerminatedCallLog.objects.bulk_create(
        TerminatedCallLog(contact=c, author=world.caseworker2, call_at=c.started_at,
                          reason="Abuse", staff_name="Team", status=LogStatus.SUBMITTED,
                          submitted_at=c.started_at)
        for c in contacts(world, n, world.caseworker2, terminated=True, behaviour="offensive"))


def test_review_queue_shows_the_caller_at_a_constant_query_count(world, client_for):
    client = client_for(world.boss)
    url = reverse("callogs:review_queue")
    _submitted_logs(world, 1)
    one, html = _count(client, url)
    assert ">Caller</th>" in html
    assert html.count("Jo Caller</bdi>") == 1
    _submitted_logs(world, 30)
    many, html = _count(client, url)
    assert html.count("Jo Caller</bdi>") == 25  # one page
    assert one == many


def test_contacts_queue_names_callbacks_and_reviews_at_a_constant_query_count(world, phone,
                                                                            client_for):
    client = client_for(world.boss)
    url = reverse("contacts:queue")

    def add(n):
        for c in contacts(world, n, world.caseworker2, channel="email"):
            Callback.objects.create(contact=c, assigned_to=world.boss,
                                    arranged_by=world.caseworker2, due_at=c.started_at)
            WrittenCommentReview.objects.create(contact=c, manager=world.boss,
                                                raised_by=world.caseworker2, comments="Rude")

    add(1)
    one, html = _count(client, url)
    assert 'href="tel:01632 960 001"' in html
    assert "Written contact from <bdi>Jo Caller</bdi>" in html
    add(20)
    many, html = _count(client, url)
    assert html.count('href="tel:01632 960 001"') == 21
    assert one == many


def _reminders(world, user, n):
    from django.contrib.contenttypes.models import ContentType

    from notifications.models import DueItem, InboxEntry

    kind = ContentType.objects.get_for_model(Callback)
    for c in contacts(world, n, world.caseworker2):
        callback = Callback.objects.create(contact=c, assigned_to=user,
                                           arranged_by=world.caseworker2, due_at=c.started_at)
        item = DueItem.objects.create(kind="callback_due", key=callback.due_key,
                                      target_type=kind, target_id=str(callback.pk),
                                      recipient=user, due_at=c.started_at,
                                      message=f"Call back about contact {c.pk}")
        InboxEntry.objects.create(recipient=user, text=item.message, due_item=item)


def test_inbox_names_the_customer_from_the_record_at_a_constant_query_count(world, phone,
                                                                           client_for):
    """The stored text names no one; the name and number come from the callback's record."""
    client = client_for(world.boss)
    url = reverse("notifications:inbox")
    _reminders(world, world.boss, 1)
    one, html = _count(client, url)
    assert "About <bdi>Jo Caller, on 01632 960 001</bdi>" in html
    _reminders(world, world.boss, 15)
    many, html = _count(client, url)
    assert html.count("About <bdi>Jo Caller, on 01632 960 001</bdi>") == 16
    assert one == many
    from notifications.models import InboxEntry
    assert not InboxEntry.objects.filter(text__contains="Jo").exists()


def test_inbox_shows_no_name_to_someone_who_may_not_see_customers(world, phone, make_user,
                                                                  client_for):
    admin = make_user(Role.ADMINISTRATOR)
    _reminders(world, admin, 2)
    html = client_for(admin).get(reverse("notifications:inbox")).content.decode()
    assert "Call back about contact" in html
    assert "Jo Caller" not in html
    assert "01632" not in html


def _contact_notices(world, user, n):
    """Notices about contacts (the stored text names no one)."""
    from django.contrib.contenttypes.models import ContentType

    from contacts.models import Contact
    from notifications.models import DueItem, InboxEntry

    kind = ContentType.objects.get_for_model(Contact)
    for c in contacts(world, n, world.caseworker2):
        item = DueItem.objects.create(kind="name_withheld", key=f"notice:{c.pk}",
                                      target_type=kind, target_id=str(c.pk), recipient=user,
                                      due_at=c.started_at, message=f"About contact {c.pk}")
        InboxEntry.objects.create(recipient=user, text=item.message, due_item=item)


def test_home_unread_card_names_the_customer_at_a_constant_query_count(world, phone,
                                                                      client_for):
    """Issue 16: the "Unread notifications" card says who each is about, read from the
    record at display time: one query per kind of record, however many notifications."""
    client = client_for(world.boss)
    _reminders(world, world.boss, 1)
    _contact_notices(world, world.boss, 1)
    client.get(HOME)  # content types are cached after the first page
    one, html = _count(client, HOME)
    assert "about Jo Caller, on 01632 960 001" in html  # a callback: the number to call
    assert "Call back about contact" in html
    for _ in range(6):  # the first few on the card are of both kinds
        _reminders(world, world.boss, 2)
        _contact_notices(world, world.boss, 2)
    many, html = _count(client, HOME)
    assert one == many
    card = html[html.index("Unread notifications"):]
    assert card.count("about Jo Caller") == 5  # the first few on the card
    from notifications.models import InboxEntry
    assert not InboxEntry.objects.filter(text__contains="Jo Caller").exists()


def test_home_unread_card_names_no_customer_to_someone_who_may_not_see_them(
        world, phone, make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    _reminders(world, admin, 2)
    html = client_for(admin).get(HOME).content.decode()
    assert "Call back about contact" in html
    assert "Jo Caller" not in html
    assert "01632" not in html


def test_an_escalated_notification_says_whose_it_was_at_display_time(world, client_for):
    """The stored text is "Overdue: ..."; the original recipient is read from the item."""
    from notifications.models import DueItem, InboxEntry

    item = DueItem.objects.create(kind="callback_due", key="x:1", recipient=world.caseworker2,
                                  due_at=world.customer.created_at, message="Call back",
                                  escalated_to=world.boss)
    InboxEntry.objects.create(recipient=world.boss, text="Overdue: Call back", due_item=item,
                              escalation=True)
    name = str(world.caseworker2)
    home = client_for(world.boss).get(HOME).content.decode()
    assert f"given to {name}" in home
    inbox = client_for(world.boss).get(reverse("notifications:inbox")).content.decode()
    assert f"Given to <bdi>{name}</bdi>" in inbox
