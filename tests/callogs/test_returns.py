"""Issue 17: a submitted log returned by the reviewing manager to its author to amend, and
resubmitted; the log's reason carries every step's note; the log records who received it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from callogs import services
from callogs.constants import KIND_CALLLOG_DRAFT, KIND_CALLLOG_SUBMITTED, LogStatus
from callogs.models import TerminatedCallLog
from contacts import services as contact_services
from contacts.constants import Behaviour, Ending, HandlingStepKind
from notifications.models import DueItem
from tests.callogs.factories import DraftLogFactory, LiveContactFactory

pytestmark = pytest.mark.django_db


def _submitted(team):
    log = DraftLogFactory(author=team.caseworker, contact__staff=team.caseworker)
    return services.calllog_submit(log=log, actor=team.caseworker)


def test_the_reviewing_manager_returns_it_and_the_author_resubmits(team):
    log = _submitted(team)
    assert log.received_by == team.manager
    first = DueItem.objects.get(key=services.submitted_key(log))
    returned = services.calllog_return(log=log, actor=team.manager,
                                       reason="Say what was said before the warning")
    assert returned.status == LogStatus.RETURNED
    first.refresh_from_db()
    assert first.completed_at is not None  # no longer waiting for the manager
    reminder = DueItem.objects.get(key=services.returned_key(returned))
    assert reminder.kind == KIND_CALLLOG_DRAFT
    assert reminder.recipient == team.caseworker
    assert AuditEvent.objects.filter(action="terminatedcalllog.returned",
                                     changes__reason="Say what was said before the warning"
                                     ).exists()
    # the author amends it and gives it back
    services.calllog_update(log=returned, actor=team.caseworker, caller_name="Jo Caller",
                            case_reference="", call_at=returned.call_at,
                            reason="He swore at me, then threatened me.",
                            staff_name="Casey Walsh")
    again = services.calllog_submit(log=returned, actor=team.caseworker)
    assert again.status == LogStatus.SUBMITTED
    reminder.refresh_from_db()
    assert reminder.completed_at is not None
    second = DueItem.objects.get(key=services.submitted_key(again))
    assert second.pk != first.pk
    assert second.kind == KIND_CALLLOG_SUBMITTED
    assert second.completed_at is None
    assert second.recipient == team.manager
    event = AuditEvent.objects.filter(action="terminatedcalllog.submitted").latest("pk")
    assert event.changes["status"] == [LogStatus.RETURNED, LogStatus.SUBMITTED]
    services.calllog_review(log=again, actor=team.manager,
                            discussed_on=timezone.localdate(),
                            staff_clear_about_circumstances=True, effect_on_staff="Fine",
                            advice_and_support="Talked", restriction_request_intended=False,
                            welfare_follow_up_requested=False)
    second.refresh_from_db()
    assert second.completed_at is not None


def test_only_the_chain_returns_it_with_a_reason_and_only_when_submitted(team):
    log = _submitted(team)
    for outsider in (team.caseworker, team.caseworker2, team.other_manager):
        with pytest.raises(PermissionDenied):
            services.calllog_return(log=log, actor=outsider, reason="x")
    with pytest.raises(ValidationError, match="Say what the author should amend"):
        services.calllog_return(log=log, actor=team.manager, reason=" ")
    services.calllog_return(log=log, actor=team.manager, reason="x")
    with pytest.raises(ValidationError, match="cannot be"):
        services.calllog_return(log=log, actor=team.manager, reason="x")
    draft = DraftLogFactory(author=team.caseworker, contact__staff=team.caseworker)
    with pytest.raises(ValidationError, match="cannot be"):
        services.calllog_return(log=draft, actor=team.manager, reason="x")


def test_a_returned_log_cannot_be_reviewed_until_it_is_given_back(team):
    log = services.calllog_return(log=_submitted(team), actor=team.manager, reason="x")
    with pytest.raises(ValidationError):
        services.calllog_review(log=log, actor=team.manager,
                                discussed_on=timezone.localdate(),
                                staff_clear_about_circumstances=True, effect_on_staff="",
                                advice_and_support="", restriction_request_intended=False,
                                welfare_follow_up_requested=False)


def test_a_log_filed_in_the_case_file_is_not_returned(team, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)}}}
    log = _submitted(team)
    services.calllog_place_in_case_file(log=log, actor=team.caseworker)
    with pytest.raises(ValidationError, match="already in the case file"):
        services.calllog_return(log=log, actor=team.manager, reason="x")


# 8.1: every step's note in the reason ------------------------------------------------------


def test_the_draft_reason_carries_every_steps_note(team):
    contact = LiveContactFactory(staff=team.caseworker)
    contact_services.contact_classify(contact=contact, actor=team.caseworker,
                                      behaviour=Behaviour.OFFENSIVE)
    record = contact_services.handling_step_record
    record(contact=contact, actor=team.caseworker,
           step=HandlingStepKind.EXPLAINED_UNACCEPTABLE, note="Asked him to stop swearing")
    record(contact=contact, actor=team.caseworker, step=HandlingStepKind.WARNED_WILL_END,
           note="Warned I would end the call", customer_unhappy=True)
    record(contact=contact, actor=team.caseworker, step=HandlingStepKind.TOLD_COMPLAINT,
           note="Gave the complaints page")
    contact_services.contact_end(contact=contact, actor=team.caseworker,
                                 ending=Ending.TERMINATED, explained=False,
                                 note="He talked over me")
    reason = TerminatedCallLog.objects.get(contact=contact).reason
    for expected in ("(7.4.1)", "Asked him to stop swearing", "(7.4.3)",
                     "Warned I would end the call", "not happy with this approach",
                     "Gave the complaints page", "(7.4.4, 7.4.5)", "He talked over me"):
        assert expected in reason
    assert reason.index("Asked him") < reason.index("Warned I") < reason.index("talked over")


def test_the_abusive_ending_note_is_in_the_reason(team):
    contact = LiveContactFactory(staff=team.caseworker)
    contact_services.contact_classify(contact=contact, actor=team.caseworker,
                                      behaviour=Behaviour.ABUSIVE)
    contact_services.contact_end(contact=contact, actor=team.caseworker,
                                 ending=Ending.TERMINATED, explained=True,
                                 note="Threatened to come to the office")
    reason = TerminatedCallLog.objects.get(contact=contact).reason
    assert "(7.5.1)" in reason
    assert "Threatened to come to the office" in reason


# Screens ------------------------------------------------------------------------------------


def test_the_return_page_shows_errors_and_returns(client_for, team):
    log = _submitted(team)
    url = reverse("callogs:log_return", args=[log.pk])
    client = client_for(team.manager)
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    response = client.post(url, {"reason": "Add the time he first swore"})
    assert response.status_code == 302
    detail = client_for(team.caseworker).get(reverse("callogs:log_detail", args=[log.pk]))
    page = detail.content.decode()
    assert "Add the time he first swore" in page
    assert reverse("callogs:log_edit", args=[log.pk]) in page
    assert client_for(team.caseworker).get(url).status_code == 403
