"""Call-log pages: who may see what (including by changing ids in URLs), forms, the queue."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from callogs.constants import LogStatus
from callogs.models import TerminatedCallLog
from callogs.views import REVIEW_QUEUE_PAGE_SIZE
from contacts.constants import Behaviour
from core import extensions
from tests.callogs.factories import (
    DraftLogFactory,
    LiveContactFactory,
    SubmittedLogFactory,
    TerminatedContactFactory,
)
from welfare.models import WelfareFollowUp

pytestmark = pytest.mark.django_db


def test_my_logs_lists_only_my_own_with_drafts_first(team, client_for):
    submitted = SubmittedLogFactory(contact__staff=team.caseworker)
    draft = DraftLogFactory(contact__staff=team.caseworker,
                            call_at=timezone.now() - timedelta(days=3))
    someone_elses = DraftLogFactory(contact__staff=team.caseworker2)
    response = client_for(team.caseworker).get(reverse("callogs:my_logs"))
    assert response.status_code == 200
    assert [log.pk for log in response.context["logs"]] == [draft.pk, submitted.pk]
    assert reverse("callogs:log_detail", args=[someone_elses.pk]) not in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [
    ("caseworker", 200), ("manager", 200), ("senior", 200), ("head", 200),
    ("caseworker2", 403), ("other_manager", 403), ("other_caseworker", 403),
])
def test_log_detail_is_for_the_author_and_the_managers_above_them(team, client_for, who, status):
    log = SubmittedLogFactory(contact__staff=team.caseworker)
    for name in ("log_detail", "log_print"):
        response = client_for(getattr(team, who)).get(reverse(f"callogs:{name}", args=[log.pk]))
        assert response.status_code == status, name


def test_an_unknown_log_is_404(team, client_for):
    response = client_for(team.caseworker).get(reverse("callogs:log_detail", args=[99999]))
    assert response.status_code == 404


def test_the_edit_form_is_prefilled_and_saves(team, client_for):
    log = DraftLogFactory(contact__staff=team.caseworker)
    client = client_for(team.caseworker)
    url = reverse("callogs:log_edit", args=[log.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["reason"] == log.reason
    when = timezone.localtime(timezone.now() - timedelta(hours=2))
    response = client.post(url, {
        "caller_name": "Sam Smith", "case_reference": "RFA0001234",
        "call_date_0": when.day, "call_date_1": when.month, "call_date_2": when.year,
        "call_time": when.strftime("%H:%M"), "reason": "Abusive language",
        "staff_name": "Casey Walsh",
    })
    assert response.status_code == 302
    log.refresh_from_db()
    assert (log.caller_name, log.case_reference, log.reason) == (
        "Sam Smith", "RFA0001234", "Abusive language")
    assert timezone.localtime(log.call_at).strftime("%H:%M") == when.strftime("%H:%M")


def _edit_post(**changes) -> dict:
    when = timezone.localtime(timezone.now() - timedelta(hours=2))
    return {"caller_name": "Sam Smith", "case_reference": "", "call_date_0": when.day,
            "call_date_1": when.month, "call_date_2": when.year,
            "call_time": when.strftime("%H:%M"), "reason": "Abusive language",
            "staff_name": "Casey Walsh", **changes}


def _edit_with(client, log, button: str) -> tuple[str, TerminatedCallLog]:
    """Post the edit form with ``button`` pressed; the page it ends on, and the log."""
    response = client.post(reverse("callogs:log_edit", args=[log.pk]), _edit_post(**{button: "1"}),
                           follow=True)
    log.refresh_from_db()
    return response.content.decode(), log


def test_save_and_give_saves_the_log_and_gives_it_in_one_submission(team, client_for):
    page, log = _edit_with(client_for(team.caseworker),
                           DraftLogFactory(contact__staff=team.caseworker), "give")
    assert "The log has been given to your line manager." in page
    assert (log.status, log.caller_name) == (LogStatus.SUBMITTED, "Sam Smith")
    assert reverse("callogs:review", args=[log.pk]) in client_for(team.manager).get(
        reverse("callogs:review_queue")).content.decode()


def test_save_draft_only_saves(team, client_for):
    page, log = _edit_with(client_for(team.caseworker),
                           DraftLogFactory(contact__staff=team.caseworker), "save")
    assert "Draft saved" in page
    assert (log.status, log.caller_name) == (LogStatus.DRAFT, "Sam Smith")


def test_save_and_give_refused_keeps_what_was_saved_and_says_why(team, client_for):
    """With no line manager recorded the log cannot be given (8.1): what was typed is saved
    as the draft and the log's page says why it was not given."""
    team.caseworker.line_manager = None
    team.caseworker.save()
    page, log = _edit_with(client_for(team.caseworker),
                           DraftLogFactory(contact__staff=team.caseworker), "give")
    assert "You have no line manager recorded" in page
    assert (log.status, log.caller_name) == (LogStatus.DRAFT, "Sam Smith")


def test_bad_input_is_shown_and_kept(team, client_for):
    log = DraftLogFactory(contact__staff=team.caseworker)
    response = client_for(team.caseworker).post(reverse("callogs:log_edit", args=[log.pk]), {
        "caller_name": "Sam Smith", "call_date_0": "31", "call_date_1": "2",
        "call_date_2": "2026", "call_time": "25:99", "reason": "", "staff_name": "Casey",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Enter the reason for terminating the call" in html
    assert "Enter the time in the 24-hour clock" in html
    assert 'value="Sam Smith"' in html


def test_a_future_call_time_is_a_form_error_not_a_500(team, client_for):
    log = DraftLogFactory(contact__staff=team.caseworker)
    later = timezone.localtime(timezone.now() + timedelta(days=2))
    response = client_for(team.caseworker).post(reverse("callogs:log_edit", args=[log.pk]), {
        "call_date_0": later.day, "call_date_1": later.month, "call_date_2": later.year,
        "call_time": "10:00", "reason": "x", "staff_name": "Casey",
    })
    assert response.status_code == 200
    assert "must be in the past" in response.content.decode()


@pytest.mark.parametrize("who", ["caseworker2", "manager", "other_caseworker"])
def test_only_the_author_edits_or_submits(team, client_for, who):
    log = DraftLogFactory(contact__staff=team.caseworker)
    client = client_for(getattr(team, who))
    edit = client.get(reverse("callogs:log_edit", args=[log.pk]))
    submit = client.post(reverse("callogs:log_submit", args=[log.pk]))
    assert edit.status_code in (302, 403)
    assert submit.status_code in (302, 403)
    log.refresh_from_db()
    assert log.status == LogStatus.DRAFT


def test_submitting_through_the_page(team, client_for):
    log = DraftLogFactory(contact__staff=team.caseworker)
    client = client_for(team.caseworker)
    response = client.post(reverse("callogs:log_submit", args=[log.pk]), follow=True)
    assert "has been given to your line manager" in response.content.decode()
    log.refresh_from_db()
    assert log.status == LogStatus.SUBMITTED
    again = client.post(reverse("callogs:log_submit", args=[log.pk]), follow=True)
    assert again.status_code == 200
    assert "Only the author can give a draft log" in again.content.decode()


def test_with_the_line_manager_away_the_page_says_who_received_the_log(team, client_for):
    team.manager.is_away = True
    team.manager.save()
    log = DraftLogFactory(contact__staff=team.caseworker)
    response = client_for(team.caseworker).post(reverse("callogs:log_submit", args=[log.pk]),
                                                 follow=True)
    assert (f"Your line manager is away, so the log has been given to {team.senior}"
            in response.content.decode())
    queue = client_for(team.senior).get(reverse("callogs:review_queue")).content.decode()
    assert reverse("callogs:review", args=[log.pk]) in queue  # it reached their queue


def test_editing_a_submitted_log_is_refused_with_a_message(team, client_for):
    log = SubmittedLogFactory(contact__staff=team.caseworker)
    response = client_for(team.caseworker).get(reverse("callogs:log_edit", args=[log.pk]),
                                                follow=True)
    assert "now fixed" in response.content.decode()


def test_print_copy_holds_every_appendix_field(team, client_for):
    log = SubmittedLogFactory(contact__staff=team.caseworker, caller_name="Jordan Example",
                              reason="Threats of violence after a warning")
    html = client_for(team.caseworker).get(
        reverse("callogs:log_print", args=[log.pk])).content.decode()
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    local = timezone.localtime(log.call_at)
    for label, value in [
        ("Name of caller (if known)", "Jordan Example"),
        ("Case reference (where applicable)", log.case_reference),
        ("Date and time of call", f"{local:%-d %B %Y, %H:%M}"),
        ("Reason for terminating the call", "Threats of violence after a warning"),
        ("Staff member's name", log.staff_name),
    ]:
        assert f"{label} {value}" in text
    assert "Record of a terminated call" in text
    assert "css/callogs-print" in html
    assert 'style="' not in html


def test_placing_in_case_file_through_the_page(team, client_for):
    log = SubmittedLogFactory(contact__staff=team.caseworker)
    response = client_for(team.caseworker).post(
        reverse("callogs:log_case_file", args=[log.pk]), follow=True)
    assert "a copy is in the case file" in response.content.decode()
    assert "Placed in the case file on" in response.content.decode()


def test_placing_in_case_file_is_refused_to_others(team, client_for):
    log = SubmittedLogFactory(contact__staff=team.caseworker)
    response = client_for(team.other_manager).post(
        reverse("callogs:log_case_file", args=[log.pk]))
    assert response.status_code == 403


def test_review_queue_shows_only_my_team(team, client_for):
    mine = SubmittedLogFactory(contact__staff=team.caseworker)
    SubmittedLogFactory(contact__staff=team.other_caseworker)
    DraftLogFactory(contact__staff=team.caseworker2)
    response = client_for(team.manager).get(reverse("callogs:review_queue"))
    assert [log.pk for log in response.context["page"].object_list] == [mine.pk]
    other = client_for(team.other_manager).get(reverse("callogs:review_queue"))
    assert mine.pk not in [log.pk for log in other.context["page"].object_list]


def test_review_queue_is_for_line_managers(team, client_for):
    assert client_for(team.caseworker).get(reverse("callogs:review_queue")).status_code == 403


@pytest.mark.parametrize("count", [1, 60])
def test_review_queue_query_count_is_constant(team, client_for, django_assert_num_queries,
                                              count):
    SubmittedLogFactory.create_batch(count, contact__staff=team.caseworker)
    client = client_for(team.manager)
    client.get(reverse("core:home"))  # warm the session
    # Session read, user, the queue's count and its page: 4 whatever
    # the number of logs, on any page (role names and the unread count kept, the session
    # renewed at most once a minute: issue 23).
    for page in ("1", "3"):
        with django_assert_num_queries(4):
            response = client.get(reverse("callogs:review_queue"), {"page": page})
        assert response.context["page"].paginator.count == count
    first = client.get(reverse("callogs:review_queue"))
    assert len(first.context["page"].object_list) == min(count, REVIEW_QUEUE_PAGE_SIZE)


def test_review_queue_is_paginated_oldest_first(team, client_for):
    now = timezone.now()
    logs = [SubmittedLogFactory(contact__staff=team.caseworker,
                                submitted_at=now - timedelta(hours=hours))
            for hours in range(REVIEW_QUEUE_PAGE_SIZE + 2, 0, -1)]  # oldest first
    client = client_for(team.manager)
    first = client.get(reverse("callogs:review_queue"))
    second = client.get(reverse("callogs:review_queue"), {"page": 2})
    shown = [log.pk for log in first.context["page"].object_list] + \
        [log.pk for log in second.context["page"].object_list]
    assert shown == [log.pk for log in logs]
    body = first.content.decode()
    assert f"{len(logs)} waiting, oldest first" in body
    assert 'class="govuk-pagination"' in body
    assert "?page=2" in body
    assert "Page 2 of 2" in second.content.decode()
    # A page past the end shows the last page, as the other paginated lists do.
    past = client.get(reverse("callogs:review_queue"), {"page": 99})
    assert past.context["page"].number == 2


def _review_data(**overrides):
    today = timezone.localdate()
    return {"discussed_on_0": today.day, "discussed_on_1": today.month,
            "discussed_on_2": today.year, "staff_clear_about_circumstances": "yes",
            "effect_on_staff": "Shaken", "advice_and_support": "Break and a chat",
            "next_steps": ["welfare", "restriction"], **overrides}


def test_line_manager_reviews_asking_for_a_welfare_follow_up(team, client_for):
    log = SubmittedLogFactory(contact__staff=team.caseworker,
                              contact__behaviour=Behaviour.DIFFICULT)
    response = client_for(team.manager).post(reverse("callogs:review", args=[log.pk]),
                                              _review_data())
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.status == LogStatus.REVIEWED
    assert log.review.restriction_request_intended
    assert WelfareFollowUp.objects.filter(staff=team.caseworker, manager=team.manager).exists()


def test_review_form_errors_are_shown(team, client_for):
    log = SubmittedLogFactory(contact__staff=team.caseworker)
    response = client_for(team.manager).post(
        reverse("callogs:review", args=[log.pk]),
        _review_data(staff_clear_about_circumstances="", effect_on_staff=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select yes if they are clear about the circumstances" in html
    assert "Enter how the contact affected them" in html


@pytest.mark.parametrize("who", ["other_manager", "caseworker", "caseworker2"])
def test_review_is_refused_to_anyone_outside_the_authors_chain(team, client_for, who):
    log = SubmittedLogFactory(contact__staff=team.caseworker)
    client = client_for(getattr(team, who))
    assert client.get(reverse("callogs:review", args=[log.pk])).status_code == 403
    assert client.post(reverse("callogs:review", args=[log.pk]),
                       _review_data()).status_code == 403
    log.refresh_from_db()
    assert log.status == LogStatus.SUBMITTED


def test_reviewing_a_reviewed_log_is_refused_clearly(team, client_for):
    log = SubmittedLogFactory(contact__staff=team.caseworker, status=LogStatus.REVIEWED)
    response = client_for(team.manager).get(reverse("callogs:review", args=[log.pk]),
                                            follow=True)
    assert "not waiting for a review" in response.content.decode()


def test_log_start_opens_the_draft_for_my_terminated_contact(team, client_for):
    contact = TerminatedContactFactory(staff=team.caseworker)
    response = client_for(team.caseworker).post(
        reverse("callogs:log_start", args=[contact.pk]))
    log = TerminatedCallLog.objects.get(contact=contact)
    assert response.url == reverse("callogs:log_edit", args=[log.pk])
    other = client_for(team.caseworker2).post(reverse("callogs:log_start", args=[contact.pk]))
    assert other.status_code == 403


def test_take_over_through_the_page(team, client_for):
    contact = LiveContactFactory(staff=team.caseworker)
    response = client_for(team.senior).post(reverse("callogs:take_over", args=[contact.pk]))
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.taken_over_by == team.senior
    refused = client_for(team.caseworker2).post(reverse("callogs:take_over", args=[contact.pk]))
    assert refused.status_code == 403


class _Request:
    def __init__(self, user):
        self.user = user


def _labels(user, contact):
    return [a.label for a in extensions.collect(extensions.contact_actions, _Request(user),
                                                contact)]


def test_contact_actions(team):
    ended = TerminatedContactFactory(staff=team.caseworker)
    assert "Complete the terminated-call log" in _labels(team.caseworker, ended)
    assert "Complete the terminated-call log" not in _labels(team.caseworker2, ended)
    SubmittedLogFactory(contact=ended)
    assert "Complete the terminated-call log" not in _labels(team.caseworker, ended)
    live = LiveContactFactory(staff=team.caseworker)
    assert "Take over this contact" in _labels(team.manager, live)
    assert "Take over this contact" not in _labels(team.caseworker2, live)
    assert "Take over this contact" not in _labels(team.manager, ended)
    assert "I feel uncomfortable or distressed" in _labels(team.caseworker, live)
