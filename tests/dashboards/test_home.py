"""Your work: each role's queues, links to where the work is done, a fixed query count."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from accounts.models import User
from contacts.models import Callback
from dashboards import selectors
from notifications import unread
from tests.dashboards.conftest import populate

HOME = reverse("core:home")


def _queries(client) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(HOME)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.django_db
def test_home_query_count_is_the_same_at_10_and_500_rows(world, client_for):
    client = client_for(world.boss)
    populate(world, 10)
    few, response = _queries(client)
    assert response.context["queues"][0].total == 10
    populate(world, 490)
    many, response = _queries(client)
    totals = {q.key: q.total for q in response.context["queues"]}
    assert totals == {"callbacks": 500, "draft_logs": 500, "logs_to_review": 500,
                      "welfare": 500, "flags": 500, "written_reviews": 500,
                      "to_decide": 500, "reviews_due": 500, "at_risk": 500,
                      "disclosures": 500}
    assert response.context["inbox"].total == 500
    assert many == few
    # One query per queue, the inbox (shared with the header), roles and the session.
    assert few <= 20


@pytest.mark.django_db
def test_each_queue_shows_its_first_items_with_links(world, client_for):
    populate(world, 7)
    html = client_for(world.boss).get(HOME).content.decode()
    callback = Callback.objects.order_by("due_at", "id").first()
    assert reverse("contacts:contact_detail", args=[callback.contact_id]) in html
    for title in ("Callbacks due", "Terminated-call logs to review", "Welfare follow-ups to hold",
                  "Persistent-contact flags to consider", "Written comments to agree a reply to",
                  "Restriction and adjustment requests to decide",
                  "Restrictions and adjustments due for review", "At-risk reports to acknowledge",
                  "Disclosures to record in the register", "Unread notifications",
                  "Your terminated-call logs to finish"):
        assert title in html
    assert 'data-queue-total="callbacks">7<' in html
    assert "Overdue" in html  # the callbacks were due in the past


@pytest.mark.django_db
def test_the_header_and_the_page_share_one_unread_count(world, client_for):
    populate(world, 3)
    client = client_for(world.boss)
    unread.clear()  # no count kept yet (issue 23): the page takes it once for both
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(HOME).content.decode()
    assert "Notifications (3 unread)" in html
    assert len([q for q in ctx.captured_queries
                if "notifications_inboxentry" in q["sql"]]) == 1


@pytest.mark.django_db
def test_a_caseworker_sees_only_their_own_queues(world, client_for):
    populate(world, 3)
    response = client_for(world.caseworker2).get(HOME)
    keys = [q.key for q in response.context["queues"]]
    assert keys == ["callbacks", "draft_logs"]
    assert all(q.total == 0 for q in response.context["queues"])
    html = response.content.decode()
    assert "Terminated-call logs to review" not in html
    assert "At-risk reports to acknowledge" not in html


@pytest.mark.django_db
def test_another_manager_does_not_see_the_boss_team_items(world, client_for):
    populate(world, 3)
    response = client_for(world.manager).get(HOME)
    totals = {q.key: q.total for q in response.context["queues"]}
    assert totals["logs_to_review"] == 0
    assert totals["welfare"] == 0
    assert totals["flags"] == 0
    assert "to_decide" not in totals  # not a Head of Department
    assert "disclosures" not in totals


@pytest.mark.django_db
def test_user_with_no_role_sees_only_the_inbox(client_for, make_user):
    response = client_for(make_user()).get(HOME)
    assert response.context["queues"] == []
    assert "You have no role yet" in response.content.decode()


@pytest.mark.parametrize("name", ["contacts:contact_detail", "welfare:follow_up_detail",
                                  "callogs:review", "callogs:log_edit", "restrictions:decide",
                                  "restrictions:review", "atrisk:report_detail",
                                  "contacts:flag_detail", "contacts:review_detail"])
def test_queue_links_are_the_views_urls(name):
    from django.urls import reverse

    from dashboards.selectors import _link

    for pk in (1, 42, 987654321, 1234567890):
        assert _link(name, pk) == reverse(name, args=[pk])


# --- Each queue's SQL is compiled once per user, role set and day ----------------------------


def orm_answer(queue, user, now, figures=False) -> tuple:
    """What the ORM says the queue holds: the ids (or texts) of its first rows, and the total;
    with ``figures``, also its oldest date and how many are overdue and due today."""
    qs = queue.build(user, timezone.localdate(now))
    first = "text" if queue.key == "notifications" else "pk"
    answer = (list(qs.values_list(first, flat=True)[:5]), qs.count())
    if not figures:
        return answer
    dates = list(qs.values_list(queue.when, flat=True))
    today = timezone.localdate(now)
    if not queue.deadline:
        late = soon = 0
    elif dates and not isinstance(dates[0], datetime):
        late, soon = sum(d < today for d in dates), sum(d == today for d in dates)
    else:
        late = sum(d < now for d in dates)
        soon = sum(now <= d and timezone.localdate(d) == today for d in dates)
    return (*answer, min(dates) if dates else None, late, soon)


def cached_answer(queue, user, now, figures=False) -> tuple:
    """The same read through the compiled SQL (compiled on first use, reused after)."""
    first = "text" if queue.key == "notifications" else "pk"
    fields = queue.fields if first in queue.fields else (first, *queue.fields)
    today = timezone.localdate(now)
    rows, found = selectors._first_few(queue.key, user, today,
                                       lambda: queue.build(user, today), fields,
                                       queue.when, queue.deadline, now)
    answer = ([r[first] for r in rows], found["total"])
    if not figures:
        return answer
    return (*answer, found.get("oldest"), found.get("overdue", 0), found.get("due_today", 0))


@pytest.mark.django_db
def test_every_queue_reads_what_the_orm_reads_before_and_after_changes(world):
    selectors._COMPILED.clear()
    now = timezone.now()
    queues = [q for _roles, q in selectors.QUEUES] + [selectors.NOTIFICATIONS]
    users = (world.boss, world.hod, world.manager, world.caseworker2, world.senior,
             world.compliance)
    for round_ in range(3):  # compiled in the first round, reused in the next two
        populate(world, 2 + round_ * 3)
        for user in users:
            for queue in queues:
                assert cached_answer(queue, user, now, True) == orm_answer(
                    queue, user, now, True), (round_, user.username, queue.key)
    assert len(selectors._COMPILED) == len(users) * len(queues)  # compiled once each


@pytest.mark.django_db
def test_a_new_role_changes_the_compiled_sql_at_once(world, client_for):
    """Which at-risk reports a user may see depends on their roles (11.2): a role given is
    read at once, not after the compiled SQL of the day is forgotten."""
    populate(world, 3)
    user = User.objects.get(pk=world.manager.pk)
    assert cached_answer(selectors.AT_RISK, user, timezone.now())[1] == 0  # none of theirs
    world.manager.groups.add(Group.objects.get_or_create(name=Role.SENIOR_STAFF)[0])
    user = User.objects.get(pk=world.manager.pk)  # as the next request loads them
    assert cached_answer(selectors.AT_RISK, user, timezone.now())[1] == 3  # senior: all
    queues = {q.key: q for q in client_for(world.manager).get(HOME).context["queues"]}
    assert queues["at_risk"].total == 3


@pytest.mark.django_db
def test_reviews_due_move_with_the_day(world, settings):
    populate(world, 2)  # adjustments due for review in three days' time
    now = timezone.now()
    assert selectors.REVIEWS_DUE.read(world.boss, now).total == 2
    earlier = now - timedelta(days=settings.RESTRICTIONS_REVIEW_NOTICE_DAYS)
    with time_machine.travel(earlier, tick=False):
        # The review date is further off than the notice period: not due yet.
        assert selectors.REVIEWS_DUE.read(world.boss, timezone.now()).total == 0
    assert selectors.REVIEWS_DUE.read(world.boss, now).total == 2


@pytest.mark.django_db
def test_a_changed_notice_period_is_read_at_once(world, settings):
    populate(world, 2)  # due for review in three days' time
    now = timezone.now()
    assert selectors.REVIEWS_DUE.read(world.boss, now).total == 2
    settings.RESTRICTIONS_REVIEW_NOTICE_DAYS = 1
    assert selectors.REVIEWS_DUE.read(world.boss, now).total == 0


@pytest.mark.django_db
def test_compiled_rows_go_through_the_backend_converters(world):
    """SQLite (make run) reads dates as text: the backend's converters make them dates, as
    ``values()`` would. PostgreSQL needs none, so one is put in by hand here."""
    populate(world, 1)
    compiled = selectors._compiled(
        "notifications", world.boss, timezone.localdate(), lambda: selectors.NOTIFICATIONS
        .build(world.boss, timezone.localdate()), selectors.NOTIFICATIONS.fields)
    text_at = compiled.names.index("text")
    compiled.converters[text_at] = ([lambda value, expression, connection: value.upper()],
                                    None)
    try:
        assert [row["text"] for row in compiled.rows()] == ["NOTE 0"]
    finally:
        del compiled.converters[text_at]
    assert [row["text"] for row in compiled.rows()] == ["Note 0"]


# --- Issue 24: a to-do list ------------------------------------------------------------------


@pytest.mark.django_db
def test_home_query_count_is_the_same_with_0_and_200_items(world, client_for):
    client = client_for(world.boss)
    client.get(HOME)  # the day's SQL compiled, the session warmed
    none, response = _queries(client)
    assert response.context["todo"] == []
    populate(world, 200)
    many, response = _queries(client)
    assert {q.key for q in response.context["todo"]} == {
        key for key, _title in ((q.key, q.title) for _r, q in selectors.QUEUES)} | {
        "notifications"}
    assert all(q.total == 200 for q in response.context["todo"])
    assert many == none


@pytest.mark.django_db
@time_machine.travel("2026-03-10 12:00:00+00:00", tick=True)
def test_home_lists_only_queues_with_work_most_urgent_first(world, client_for):
    now = timezone.now()
    boss, team = world.boss, world.caseworker2
    populate(world, 0)
    from tests.dashboards.conftest import contacts
    (late,) = contacts(world, 1, team)
    Callback.objects.create(contact=late, assigned_to=boss, arranged_by=team,
                            due_at=now - timedelta(days=3))
    from welfare.models import WelfareFollowUp
    due_today = now + timedelta(hours=2)
    WelfareFollowUp.objects.create(staff=team, manager=boss, reason="termination",
                                   due_at=due_today)
    from contacts.models import PersistentContactFlag
    PersistentContactFlag.objects.create(customer=world.customer, manager=boss, staff=team,
                                         trigger="x")
    response = client_for(boss).get(HOME)
    html = response.content.decode()
    todo = response.context["todo"]
    assert [q.key for q in todo] == ["callbacks", "welfare", "flags"]
    assert (todo[0].overdue, todo[0].oldest_text) == (1, "oldest overdue by 3 days")
    assert (todo[1].due_today, todo[1].oldest_text) == (1, "first due today")
    assert todo[2].oldest_text == "oldest waiting less than an hour"
    assert html.index('id="queue-callbacks"') < html.index('id="queue-welfare"') < html.index(
        'id="queue-flags"')
    # the empty queues are one line, and no panel says "Nothing waiting"
    assert 'id="queue-logs_to_review"' not in html
    assert "Nothing waiting in: " in html
    line = html.split("Nothing waiting in: ", 1)[1].split("</p>", 1)[0]
    assert "Terminated-call logs to review" in line
    assert "Callbacks due" not in line
    assert "Nothing waiting.</p>" not in html
    assert "Where to go" not in html


@pytest.mark.django_db
def test_home_with_nothing_to_do_says_so_in_one_line(world, client_for):
    html = client_for(world.caseworker).get(HOME).content.decode()
    assert "Nothing is waiting for you." in html
    assert "Nothing waiting in: Callbacks due, Your terminated-call logs to finish, " \
           "Unread notifications." in html
    assert "govuk-summary-card" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(("roles", "has_box"), [
    ((Role.CASEWORKER,), True), ((Role.LINE_MANAGER,), True), ((Role.COMPLIANCE,), True),
    ((Role.ADMINISTRATOR,), False), ((), False)])
def test_home_has_the_customer_lookup_for_those_who_look_customers_up(roles, has_box,
                                                                      make_user, client_for):
    html = client_for(make_user(*roles)).get(HOME).content.decode()
    box = f'action="{reverse("contacts:lookup")}" role="search"'
    assert (box in html) is has_box
    if has_box:
        assert 'for="home-lookup-q"' in html
