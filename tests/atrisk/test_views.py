"""Pages of paragraph 11: who sees what (both ways), the audited detail page, forms that
keep what was typed, and the disclosure register with its filters and CSV."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from atrisk.constants import ReportStatus
from atrisk.models import AtRiskReport, VitalInterestsDisclosure
from atrisk.views import csv_safe
from audit.models import AuditEvent
from notifications.models import DueItem
from tests.atrisk.factories import (
    AcknowledgedReportFactory,
    AtRiskReportFactory,
    ContactFactory,
    DisclosureFactory,
    DutyRotaFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(make_user):
    """The people in the permission tests: reporter, colleague, senior, compliance, and the
    reporter's line manager, who is not senior staff."""
    manager = make_user(Role.LINE_MANAGER)
    reporter = make_user(Role.CASEWORKER, line_manager=manager)
    return {
        "reporter": reporter,
        "other_caseworker": make_user(Role.CASEWORKER, line_manager=manager),
        "senior": make_user(Role.SENIOR_STAFF),
        "compliance": make_user(Role.COMPLIANCE),
        "line_manager": manager,
        "head_of_department": make_user(Role.HEAD_OF_DEPARTMENT),
    }


SEES = {"reporter": True, "other_caseworker": False, "senior": True, "compliance": True,
        "line_manager": False, "head_of_department": False}


@pytest.mark.parametrize(("who", "sees"), SEES.items())
def test_who_can_open_a_report(cast, client_for, who, sees):
    report = AtRiskReportFactory(raised_by=cast["reporter"])
    response = client_for(cast[who]).get(reverse("atrisk:report_detail", args=[report.pk]))
    assert response.status_code == (200 if sees else 403)
    viewed = AuditEvent.objects.filter(action="atriskreport.viewed", actor=cast[who],
                                       target_id=str(report.pk))
    assert viewed.count() == (1 if sees else 0)


@pytest.mark.parametrize(("who", "sees"), SEES.items())
def test_the_list_agrees_with_the_detail_page(cast, client_for, who, sees):
    mine = AtRiskReportFactory(raised_by=cast["reporter"])
    response = client_for(cast[who]).get(reverse("atrisk:report_list"))
    assert response.status_code == 200
    listed = list(response.context["reports"])
    assert (mine in listed) is sees


def test_every_view_is_recorded(cast, client_for):
    report = AtRiskReportFactory(raised_by=cast["reporter"])
    client = client_for(cast["senior"])
    url = reverse("atrisk:report_detail", args=[report.pk])
    client.get(url)
    client.get(url)
    assert AuditEvent.objects.filter(action="atriskreport.viewed", target_id=str(report.pk),
                                     actor=cast["senior"]).count() == 2


def test_an_unknown_report_is_404(cast, client_for):
    response = client_for(cast["senior"]).get(reverse("atrisk:report_detail", args=[999999]))
    assert response.status_code == 404


def test_a_manager_the_alert_escalated_to_can_open_and_acknowledge(cast, client_for,
                                                                  make_user):
    """The next manager up (11.2) may not be senior staff; the alert reached them, so the
    report opens for them and appears in their list."""
    report = AtRiskReportFactory(raised_by=cast["reporter"])
    head = cast["head_of_department"]
    DueItem.objects.create(
        kind="at_risk_alert", key="x", recipient=cast["senior"], due_at=timezone.now(),
        message="m", target=report, escalated_to=head, escalated_at=timezone.now(),
    )
    client = client_for(head)
    assert client.get(reverse("atrisk:report_detail", args=[report.pk])).status_code == 200
    assert report in list(client.get(reverse("atrisk:report_list")).context["reports"])
    client.post(reverse("atrisk:report_acknowledge", args=[report.pk]))
    report.refresh_from_db()
    assert report.acknowledged_by == head


@pytest.mark.parametrize(("who", "allowed"), [
    ("senior", True), ("reporter", False), ("other_caseworker", False),
    ("compliance", False), ("line_manager", False),
])
def test_who_can_acknowledge(cast, client_for, who, allowed):
    report = AtRiskReportFactory(raised_by=cast["reporter"])
    response = client_for(cast[who]).post(reverse("atrisk:report_acknowledge",
                                                  args=[report.pk]))
    assert response.status_code == (302 if allowed else 403)
    report.refresh_from_db()
    assert (report.status == ReportStatus.ACKNOWLEDGED) is allowed


def test_acknowledge_is_post_only(cast, client_for):
    report = AtRiskReportFactory(raised_by=cast["reporter"])
    response = client_for(cast["senior"]).get(reverse("atrisk:report_acknowledge",
                                                      args=[report.pk]))
    assert response.status_code == 405


def test_acknowledging_twice_is_a_clear_refusal(cast, client_for, make_user):
    report = AcknowledgedReportFactory(raised_by=cast["reporter"])
    response = client_for(cast["senior"]).post(
        reverse("atrisk:report_acknowledge", args=[report.pk]), follow=True)
    assert response.status_code == 200
    assert "already acknowledged" in response.content.decode()


# --- raising a report -----------------------------------------------------------------------

FORM = {
    "source": "telephone", "threat_type": "self_harm",
    "what_was_said": "Said they would take pills tonight.",
    "threat_made_at": "2026-01-05T10:30", "location_given": "A bridge in Leeds",
    "caller_name": "J", "caller_phone": "07700 900123", "caller_other_details": "",
    "emergency_advice": "advised", "customer": "", "case_reference": "", "case_note": "",
}


def test_a_caseworker_raises_a_report_and_senior_staff_are_alerted(cast, client_for):
    DutyRotaFactory(senior=cast["senior"])
    response = client_for(cast["reporter"]).post(reverse("atrisk:report_create"), FORM)
    report = AtRiskReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("atrisk:report_detail", args=[report.pk])
    assert report.location_given == "A bridge in Leeds"
    assert DueItem.objects.get(kind="at_risk_alert").recipient == cast["senior"]


def test_the_report_page_shows_the_11_2_and_11_3_script(cast, client_for):
    page = client_for(cast["reporter"]).get(reverse("atrisk:report_create")).content.decode()
    assert "not able to help" in page
    assert "not qualified to judge whether the threat is genuine" in page
    assert "not personally responsible" in page
    assert "emergency services" in page


def test_bad_input_keeps_what_was_typed(cast, client_for):
    data = {**FORM, "what_was_said": "", "customer": "CUS-NOPE"}
    response = client_for(cast["reporter"]).post(reverse("atrisk:report_create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Enter what was said" in page
    assert "No customer has that reference" in page
    assert "A bridge in Leeds" in page
    assert not AtRiskReport.objects.exists()


def test_service_errors_show_on_the_form(cast, client_for):
    from tests.atrisk.factories import CaseReferenceFactory

    case = CaseReferenceFactory(is_open=True)
    data = {**FORM, "case_reference": case.reference.lower()}
    response = client_for(cast["reporter"]).post(reverse("atrisk:report_create"), data)
    assert response.status_code == 200
    assert "Enter the note for the case file (11.2)" in response.content.decode()


def test_raising_from_your_own_contact(cast, client_for):
    contact = ContactFactory(staff=cast["reporter"])
    url = reverse("atrisk:report_create") + f"?contact={contact.pk}"
    client = client_for(cast["reporter"])
    assert client.get(url).status_code == 200
    response = client.post(url, {**FORM, "source": "telephone"})
    assert response.status_code == 302
    assert AtRiskReport.objects.get().contact == contact


@pytest.mark.parametrize("contact_param", ["other", "999999", "abc"])
def test_raising_from_someone_elses_contact_is_refused(cast, client_for, contact_param):
    contact = ContactFactory(staff=cast["other_caseworker"])
    value = str(contact.pk) if contact_param == "other" else contact_param
    url = reverse("atrisk:report_create") + f"?contact={value}"
    assert client_for(cast["reporter"]).get(url).status_code == 403


# --- assessment and disclosure pages --------------------------------------------------------

@pytest.mark.parametrize(("who", "allowed"), [
    ("senior", True), ("reporter", False), ("compliance", False), ("line_manager", False),
    ("other_caseworker", False),
])
def test_who_can_record_a_disclosure(cast, client_for, who, allowed):
    report = AcknowledgedReportFactory(raised_by=cast["reporter"],
                                       acknowledged_by=cast["senior"])
    response = client_for(cast[who]).get(reverse("atrisk:disclosure_create", args=[report.pk]))
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize(("who", "allowed"), [
    ("senior", True), ("reporter", False), ("compliance", False), ("line_manager", False),
])
def test_who_can_assess(cast, client_for, who, allowed):
    report = AcknowledgedReportFactory(raised_by=cast["reporter"],
                                       acknowledged_by=cast["senior"])
    response = client_for(cast[who]).post(
        reverse("atrisk:report_assess", args=[report.pk]),
        {"agencies_contacted": "no", "assessment_notes": "Caller said they were safe.",
         "spoke_to_reporter": "on",
         "spoke_to_reporter_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == (302 if allowed else 403)
    report.refresh_from_db()
    assert (report.status == ReportStatus.ASSESSED) is allowed


def test_the_disclosure_form_requires_the_vital_interests_test(cast, client_for):
    report = AcknowledgedReportFactory(raised_by=cast["reporter"],
                                       acknowledged_by=cast["senior"])
    url = reverse("atrisk:disclosure_create", args=[report.pk])
    response = client_for(cast["senior"]).post(url, {
        "recipient_authority": "Police control room", "necessity": "",
        "what_was_disclosed": "Name and address", "authorised_by": cast["senior"].pk,
        "disclosed_at": "2026-01-05T11:00",
    })
    assert response.status_code == 200
    page = response.content.decode()
    for message in ("Enter why the disclosure is necessary to protect someone",
                    "Enter the less intrusive options you considered",
                    "Select whether the person could consent",
                    "Enter why consent was not relied on", "Select the kind of authority"):
        assert message in page
    assert "Police control room" in page  # kept
    assert not VitalInterestsDisclosure.objects.exists()


def test_a_complete_disclosure_is_saved_and_compliance_told(cast, client_for):
    report = AcknowledgedReportFactory(raised_by=cast["reporter"],
                                       acknowledged_by=cast["senior"])
    url = reverse("atrisk:disclosure_create", args=[report.pk])
    response = client_for(cast["senior"]).post(url, {
        "necessity": "Plan and time given", "less_intrusive_options": "Asked them to call 999",
        "consent": "refused", "consent_explanation": "Refused; delay risked life",
        "recipient_type": "police", "recipient_authority": "Police control room",
        "what_was_disclosed": "Name and address", "disclosed_at": "2026-01-05T11:00",
        "authorised_by": cast["senior"].pk,
    })
    assert response.status_code == 302
    disclosure = VitalInterestsDisclosure.objects.get()
    assert disclosure.recorded_by == cast["senior"]
    assert DueItem.objects.get(kind="disclosure_recorded").recipient == cast["compliance"]


# --- the register ---------------------------------------------------------------------------

@pytest.mark.parametrize(("who", "allowed"), [
    ("compliance", True), ("senior", False), ("reporter", False), ("line_manager", False),
])
def test_only_compliance_sees_the_register(cast, client_for, who, allowed):
    DisclosureFactory()
    client = client_for(cast[who])
    assert client.get(reverse("atrisk:register")).status_code == (200 if allowed else 403)
    assert client.get(reverse("atrisk:register_csv")).status_code == (200 if allowed else 403)


def test_only_compliance_record_in_the_register(cast, client_for):
    disclosure = DisclosureFactory()
    url = reverse("atrisk:disclosure_register_entry", args=[disclosure.pk])
    assert client_for(cast["senior"]).post(url).status_code == 403
    assert client_for(cast["compliance"]).post(url).status_code == 302
    disclosure.refresh_from_db()
    assert disclosure.registered_by == cast["compliance"]


@pytest.fixture
def register_rows(make_user):
    now = timezone.now()
    old = DisclosureFactory(disclosed_at=now - timedelta(days=40), recipient_type="police")
    health = DisclosureFactory(disclosed_at=now - timedelta(days=2), recipient_type="health")
    recorded = DisclosureFactory(disclosed_at=now - timedelta(days=1), recipient_type="police",
                                 registered_by=make_user(Role.COMPLIANCE),
                                 registered_at=now)
    return {"old": old, "health": health, "recorded": recorded}


@pytest.mark.parametrize(("params", "expected"), [
    ({}, {"old", "health", "recorded"}),
    ({"recipient_type": "police"}, {"old", "recorded"}),
    ({"state": "recorded"}, {"recorded"}),
    ({"state": "not_recorded"}, {"old", "health"}),
    ({"date_from": "__10_days_ago__"}, {"health", "recorded"}),
    ({"date_to": "__10_days_ago__"}, {"old"}),
    ({"recipient_type": "police", "state": "not_recorded"}, {"old"}),
])
def test_register_filters(cast, client_for, register_rows, params, expected):
    ten_days_ago = (timezone.localdate() - timedelta(days=10)).isoformat()
    params = {k: ten_days_ago if v == "__10_days_ago__" else v for k, v in params.items()}
    client = client_for(cast["compliance"])
    response = client.get(reverse("atrisk:register"), params)
    shown = {name for name, d in register_rows.items() if d in response.context["disclosures"]}
    assert shown == expected
    rows = list(csv.reader(io.StringIO(
        client.get(reverse("atrisk:register_csv"), params).content.decode())))
    assert {int(r[0]) for r in rows[1:]} == {register_rows[n].pk for n in expected}


@pytest.mark.parametrize("params", [
    {"state": "deleted"}, {"recipient_type": "martians"}, {"date_from": "yesterday"},
    {"date_from": "2026-02-10", "date_to": "2026-02-01"},
])
def test_register_accepts_only_declared_filter_values(cast, client_for, register_rows, params):
    client = client_for(cast["compliance"])
    response = client.get(reverse("atrisk:register"), params)
    assert response.status_code == 200
    assert response.context["disclosures"] is None
    assert "govuk-error-summary" in response.content.decode()
    assert client.get(reverse("atrisk:register_csv"), params).status_code == 400


@pytest.mark.parametrize(("value", "expected"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-2", "'-2"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("Police", "Police"), (None, ""), (7, "7"),
])
def test_csv_cells_cannot_become_formulas(value, expected):
    assert csv_safe(value) == expected


def test_csv_download_neutralises_formulas_and_is_audited(cast, client_for):
    DisclosureFactory(recipient_authority="=cmd|' /C calc'!A0", what_was_disclosed="@name")
    response = client_for(cast["compliance"]).get(reverse("atrisk:register_csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][4] == "'=cmd|' /C calc'!A0"
    assert rows[1][5] == "'@name"
    assert AuditEvent.objects.filter(action="vitalinterestsdisclosure.exported",
                                     actor=cast["compliance"]).exists()


# --- query counts ---------------------------------------------------------------------------

@pytest.mark.parametrize(("who", "url_name", "factory"), [
    ("senior", "atrisk:report_list", lambda c: AtRiskReportFactory(raised_by=c["reporter"])),
    ("reporter", "atrisk:report_list", lambda c: AtRiskReportFactory(raised_by=c["reporter"])),
    ("compliance", "atrisk:register", lambda c: DisclosureFactory()),
])
def test_list_pages_cost_a_fixed_number_of_queries(cast, client_for, who, url_name, factory,
                                                   django_assert_num_queries):
    client = client_for(cast[who])
    url = reverse(url_name)
    factory(cast)
    client.get(url)  # warm caches (content types, session)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(15):
        factory(cast)
    with django_assert_num_queries(len(one.captured_queries),
                                   info="the page must not query per row"):
        client.get(url)


def test_detail_page_costs_the_same_with_many_disclosures(cast, client_for,
                                                          django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    report = AcknowledgedReportFactory(raised_by=cast["reporter"],
                                       acknowledged_by=cast["senior"])
    DisclosureFactory(report=report)
    client = client_for(cast["senior"])
    url = reverse("atrisk:report_detail", args=[report.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(10):
        DisclosureFactory(report=report)
    with django_assert_num_queries(len(one.captured_queries),
                                   info="the detail page must not query per disclosure"):
        client.get(url)


def test_duty_rota_page_for_senior_staff(cast, client_for):
    DutyRotaFactory(senior=cast["senior"])
    later = DutyRotaFactory(senior=cast["senior"], starts_at=timezone.now() + timedelta(days=1),
                            ends_at=timezone.now() + timedelta(days=1, hours=8))
    response = client_for(cast["senior"]).get(reverse("atrisk:duty_rota"))
    assert response.status_code == 200
    assert len(response.context["current"]) == 1
    assert response.context["upcoming"] == [later]
    assert client_for(cast["reporter"]).get(reverse("atrisk:duty_rota")).status_code == 403
    assert client_for(cast["line_manager"]).get(
        reverse("atrisk:duty_rota")).status_code == 403


def test_navigation_items_by_role(cast, client_for):
    """At-risk reports are under Decisions, the register under Compliance (issue 24)."""
    decisions, compliance = reverse("core:section_decisions"), reverse("core:section_compliance")
    senior_page = client_for(cast["senior"]).get(decisions).content.decode()
    senior_page += client_for(cast["senior"]).get(reverse("core:home")).content.decode()
    compliance_page = client_for(cast["compliance"]).get(compliance).content.decode()
    caseworker_page = client_for(cast["reporter"]).get(reverse("core:home")).content.decode()
    caseworker_page += client_for(cast["reporter"]).get(
        reverse("core:section_contacts")).content.decode()
    assert "At-risk reports" in senior_page
    assert "Disclosure register" not in senior_page
    assert "Disclosure register" in compliance_page
    assert "At-risk reports" not in caseworker_page


def test_the_assessment_form_asks_whether_the_senior_spoke_to_the_reporter(cast, client_for):
    """11.5: refused with the GOV.UK error summary, and what was typed is kept."""
    report = AcknowledgedReportFactory(raised_by=cast["reporter"],
                                       acknowledged_by=cast["senior"])
    response = client_for(cast["senior"]).post(
        reverse("atrisk:report_assess", args=[report.pk]),
        {"agencies_contacted": "no", "assessment_notes": "Caller said they were safe."})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Confirm you spoke to the member of staff who made the report" in html
    assert "Caller said they were safe." in html
    report.refresh_from_db()
    assert report.status == ReportStatus.ACKNOWLEDGED


def test_the_reporter_files_the_note_from_the_report_page(cast, client_for):
    from tests.contacts.factories import CaseReferenceFactory

    case = CaseReferenceFactory(reference="RFA0099887")
    report = AcknowledgedReportFactory(raised_by=cast["reporter"],
                                       acknowledged_by=cast["senior"], customer=case.customer,
                                       case_reference=case, case_note="Threats; advised 999.")
    client = client_for(cast["reporter"])
    url = reverse("atrisk:report_detail", args=[report.pk])
    filing = reverse("atrisk:report_file_note", args=[report.pk])
    assert filing in client.get(url).content.decode()
    assert client.post(filing).status_code == 302
    report.refresh_from_db()
    assert report.case_note_filed_by == cast["reporter"]
    page = client.get(url).content.decode()
    assert filing not in page
    assert "Filed with the case" in page
