"""Every page both ways: who may, who may not, including changed ids (7.2, 12, 13)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from restrictions.constants import Status
from restrictions.models import FurtherAction, Restriction
from tests.restrictions.factories import ContactFactory, RestrictionFactory

pytestmark = pytest.mark.django_db

EVERYONE = ["head", "deputy", "senior", "manager", "caseworker", "compliance", "hod2",
            "manager2", "senior2"]


def _date(prefix: str, day) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _status(client_for, user, url, method="get", data=None):
    client = client_for(user)
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    return response.status_code


def _check(org, client_for, url, allowed: set[str]):
    for name in EVERYONE:
        expected = 200 if name in allowed else 403
        got = _status(client_for, getattr(org, name), url)
        assert got == expected, f"{name} got {got} for {url}, expected {expected}"


def test_customer_summary_is_open_to_all_staff(org, client_for, approved, make_user):
    url = reverse("restrictions:customer", args=[org.customer.pk])
    _check(org, client_for, url, set(EVERYONE))
    assert _status(client_for, make_user(), url) == 403  # no role at all


def test_request_page_is_for_managers(org, client_for):
    url = reverse("restrictions:create", args=[org.customer.pk]) + "?kind=restriction"
    _check(org, client_for, url, set(EVERYONE) - {"caseworker", "compliance"})


def test_detail_of_a_record_in_force_is_open_to_all_staff(org, client_for, approved):
    _check(org, client_for, reverse("restrictions:detail", args=[approved.pk]), set(EVERYONE))


def test_detail_of_a_pending_request_is_not_for_caseworkers(org, client_for, submitted):
    url = reverse("restrictions:detail", args=[submitted.pk])
    _check(org, client_for, url, set(EVERYONE) - {"caseworker", "manager2"})


def test_grounds_only_for_managers_heads_and_compliance_and_each_view_is_recorded(
        org, client_for, approved):
    url = reverse("restrictions:grounds", args=[approved.pk])
    _check(org, client_for, url, set(EVERYONE) - {"caseworker", "manager2"})
    viewers = set(AuditEvent.objects.filter(
        action="restriction.viewed", target_id=str(approved.pk)).values_list(
        "actor__username", flat=True))
    assert viewers == set(EVERYONE) - {"caseworker", "manager2"}


def test_banner_pages_do_not_show_the_grounds(org, client_for, approved):
    html = client_for(org.caseworker).get(
        reverse("restrictions:customer", args=[org.customer.pk])).content.decode()
    assert "Written contact only" in html
    assert approved.grounds not in html


def test_decide_only_by_head_or_deputy_of_the_requesters_department(org, client_for, submitted):
    _check(org, client_for, reverse("restrictions:decide", args=[submitted.pk]),
           {"head", "deputy"})


def test_other_departments_head_cannot_decide_by_changing_the_id(org, client_for, submitted):
    own = RestrictionFactory(customer=org.customer, requested_by=org.manager2)
    client = client_for(org.hod2)
    assert client.get(reverse("restrictions:decide", args=[own.pk])).status_code == 200
    response = client.post(reverse("restrictions:decide", args=[submitted.pk]),
                           {"decision": "approve"})
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_review_page_only_for_head_or_deputy(org, client_for, approved):
    _check(org, client_for, reverse("restrictions:review", args=[approved.pk]),
           {"head", "deputy"})


def test_letter_for_those_who_manage_the_record(org, client_for, approved):
    _check(org, client_for, reverse("restrictions:letter", args=[approved.pk]),
           {"head", "deputy", "senior", "manager"})


def test_edit_only_by_the_requester(org, client_for):
    draft = RestrictionFactory(customer=org.customer, requested_by=org.manager,
                               status=Status.DRAFT)
    _check(org, client_for, reverse("restrictions:edit", args=[draft.pk]), {"manager"})


def test_queues_by_role(org, client_for, submitted):
    _check(org, client_for, reverse("restrictions:to_decide"), {"head", "deputy", "hod2"})
    _check(org, client_for, reverse("restrictions:mine"),
           set(EVERYONE) - {"caseworker", "compliance"})


def test_decide_queue_holds_only_the_heads_own_department(org, client_for, submitted):
    other = RestrictionFactory(customer=org.customer, requested_by=org.manager2)
    mine = client_for(org.head).get(reverse("restrictions:to_decide")).context["records"]
    theirs = client_for(org.hod2).get(reverse("restrictions:to_decide")).context["records"]
    assert mine == [submitted]
    assert theirs == [other]


def test_further_action_recorded_by_managers_and_seen_by_managers(org, client_for):
    url = reverse("restrictions:further_action", args=[org.customer.pk])
    assert _status(client_for, org.caseworker, url) == 403
    data = {"kind": "police", "reference": "CR/123/27", "taken_by": org.manager.pk,
            **_date("taken_on", timezone.localdate())}
    response = client_for(org.manager).post(url, data)
    assert response.status_code == 302
    action = FurtherAction.objects.get()
    assert (action.reference, action.taken_by, action.recorded_by) == (
        "CR/123/27", org.manager, org.manager)
    summary = reverse("restrictions:customer", args=[org.customer.pk])
    assert "CR/123/27" in client_for(org.senior).get(summary).content.decode()
    assert "CR/123/27" not in client_for(org.caseworker).get(summary).content.decode()


def test_manager_requests_through_the_form(org, client_for):
    contact = ContactFactory(customer=org.customer, staff=org.caseworker)
    today = timezone.localdate()
    data = {"grounds": "Daily calls", "grounds_contacts": [contact.pk],
            "terms": ["written_only", "single_point"], "point_of_contact": org.caseworker.pk,
            **_date("start_date", today), **_date("review_date", today + timedelta(days=60)),
            "submit_for_decision": "Submit"}
    url = reverse("restrictions:create", args=[org.customer.pk]) + "?kind=restriction"
    response = client_for(org.manager).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    restriction = Restriction.objects.get()
    assert restriction.status == Status.SUBMITTED
    assert list(restriction.grounds_contacts.all()) == [contact]


def test_bad_input_shows_errors_and_keeps_what_was_typed(org, client_for):
    today = timezone.localdate()
    data = {"grounds": "Daily calls, kept", "terms": ["call_length"],
            **_date("start_date", today), **_date("review_date", today + timedelta(days=400))}
    url = reverse("restrictions:create", args=[org.customer.pk]) + "?kind=restriction"
    response = client_for(org.manager).post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Enter the longest a call may last" in html
    assert "no more than 6 months" in html
    assert "Daily calls, kept" in html
    assert not Restriction.objects.exists()


def test_refuse_without_reason_is_a_form_error_not_a_500(org, client_for, submitted):
    response = client_for(org.head).post(reverse("restrictions:decide", args=[submitted.pk]),
                                         {"decision": "refuse", "reason": ""})
    assert response.status_code == 200
    assert "Give the reason for refusing" in response.content.decode()


def test_deciding_an_already_decided_request_shows_a_clear_message(org, client_for, submitted):
    data = {"decision": "approve", **_date("review_date", submitted.review_date),
            "terms": submitted.terms}
    assert client_for(org.head).post(
        reverse("restrictions:decide", args=[submitted.pk]), data).status_code == 302
    response = client_for(org.deputy).post(
        reverse("restrictions:decide", args=[submitted.pk]),
        {"decision": "refuse", "reason": "No", **_date("review_date", submitted.review_date)})
    assert response.status_code == 200
    assert "already been decided by" in response.content.decode()


def test_letter_contents(org, client_for, approved):
    approved.point_of_contact = org.caseworker
    approved.terms = ["written_only", "single_point"]
    approved.save()
    html = client_for(org.manager).get(
        reverse("restrictions:letter", args=[approved.pk])).content.decode()
    assert "Written contact only. Single point of contact: " in html
    assert org.caseworker.get_full_name() in html
    assert f"lasts until {approved.until:%-d %B %Y}" in html
    assert f"review it by {approved.review_date:%-d %B %Y}" in html
    assert "ask for this decision to be reviewed" in html
    assert "within 20 working days" in html
    assert "service complaint" in html
    assert org.head.get_full_name() in html  # 10.1: full names in letters
    assert "restrictions-print.css" in html


def test_recording_the_letter_and_the_exception(org, client_for, approved):
    url = reverse("restrictions:letter_record", args=[approved.pk])
    today = timezone.localdate()
    client_for(org.manager).post(url, {"told": "sent", **_date("sent_on", today)})
    approved.refresh_from_db()
    assert approved.letter_sent_on == approved.informed_on == today
    detail = client_for(org.caseworker).get(reverse("restrictions:detail", args=[approved.pk]))
    assert f"Informed on {today:%-d %B %Y}" in detail.content.decode()
    check = today + timedelta(days=30)
    client_for(org.manager).post(url, {"told": "exception", "reason": "Would inflame risk",
                                       **_date("check_on", check)})
    approved.refresh_from_db()
    assert (approved.not_informed_reason, approved.inform_check_on) == (
        "Would inflame risk", check)


def test_queue_pages_cost_a_fixed_number_of_queries(org, client_for, django_assert_num_queries):
    client = client_for(org.head)
    RestrictionFactory(customer=org.customer, requested_by=org.manager)
    client.get(reverse("restrictions:to_decide"))
    # The same 5 queries whether the queue holds one request or six: session, user, the
    # two-factor device, the queue's count and its page (the role names and the unread count
    # are kept, and the session is renewed at most once a minute: issue 23).
    with django_assert_num_queries(5) as one:
        client.get(reverse("restrictions:to_decide"))
    RestrictionFactory.create_batch(5, requested_by=org.manager)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("restrictions:to_decide"))


def test_manager_requests_a_reasonable_adjustment_and_the_head_approves_it(org, client_for):
    today = timezone.localdate()
    url = reverse("restrictions:create", args=[org.customer.pk]) + "?kind=adjustment"
    response = client_for(org.manager).post(url, {
        "grounds": "Told us of a hearing difficulty", "need": "Hearing difficulty",
        "adjustments": ["email_not_phone", "large_print"], **_date("start_date", today),
        "submit_for_decision": "Submit"})
    assert response.status_code == 302
    adjustment = Restriction.objects.get()
    assert adjustment.kind == "adjustment"
    assert adjustment.review_date.year * 12 + adjustment.review_date.month == (
        today.year * 12 + today.month + 12)  # the default review period for adjustments
    response = client_for(org.head).post(
        reverse("restrictions:decide", args=[adjustment.pk]),
        {"decision": "approve", "need": "Hearing difficulty",
         "adjustments": ["email_not_phone", "large_print"],
         **_date("review_date", adjustment.review_date)})
    assert response.status_code == 302
    adjustment.refresh_from_db()
    assert adjustment.status == Status.APPROVED
    html = client_for(org.caseworker).get(
        reverse("restrictions:customer", args=[org.customer.pk])).content.decode()
    assert ("Need: <bdi>Hearing difficulty</bdi>. Adjustments: Email instead of telephone; "
            "Large print.") in html  # user text isolated (issue 19, finding 10)
    assert "6.1:" in html


def test_review_page_renews_with_reasons(org, client_for, approved):
    new_date = timezone.localdate() + timedelta(days=100)
    url = reverse("restrictions:review", args=[approved.pk])
    response = client_for(org.head).post(url, {"outcome": "renew", "reason": ""})
    assert response.status_code == 200
    assert "Enter the new review date" in response.content.decode()
    response = client_for(org.head).post(url, {"outcome": "renew", "reason": "Still calling",
                                               **_date("review_date", new_date)})
    assert response.status_code == 302
    approved.refresh_from_db()
    assert (approved.status, approved.review_date) == (Status.RENEWED, new_date)


def test_withdraw_by_the_requester_only(org, client_for, submitted):
    url = reverse("restrictions:withdraw", args=[submitted.pk])
    assert client_for(org.head).post(url).status_code == 403
    assert client_for(org.manager).post(url).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.WITHDRAWN


def test_a_long_queue_is_shown_25_a_page_oldest_first(org, client_for):
    from restrictions.views import QUEUE_PAGE_SIZE

    now = timezone.now()
    requests = [RestrictionFactory(requested_by=org.manager,
                                   submitted_at=now - timedelta(hours=hours))
                for hours in range(QUEUE_PAGE_SIZE + 3, 0, -1)]  # oldest first
    client = client_for(org.head)
    first = client.get(reverse("restrictions:to_decide"))
    assert [r.pk for r in first.context["records"]] == [r.pk for r in requests[:25]]
    html = first.content.decode()
    assert f"{QUEUE_PAGE_SIZE + 3} in all, oldest first" in html
    assert 'href="?page=2" rel="next"' in html
    second = client.get(reverse("restrictions:to_decide") + "?page=2")
    assert [r.pk for r in second.context["records"]] == [r.pk for r in requests[25:]]
    beyond = client.get(reverse("restrictions:to_decide") + "?page=99")  # the last page
    assert [r.pk for r in beyond.context["records"]] == [r.pk for r in requests[25:]]
