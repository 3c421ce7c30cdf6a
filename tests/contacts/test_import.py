"""Importing the existing register (issue 16): a good file, bad rows with line numbers,
nothing imported from a file with errors unless skipped, re-run idempotent, dry run."""

import datetime as dt
import re
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from audit.models import AuditEvent
from contacts.importing import customers_import
from contacts.models import CaseReference, Customer, CustomerPhone
from tests.accounts.factories import DepartmentFactory, UserFactory
from tests.contacts.factories import CaseReferenceFactory

pytestmark = pytest.mark.django_db

EXAMPLE_FILE = (Path(__file__).resolve().parents[2] / "docs" / "examples"
                / "customers-import.csv")
# The example's dates were written on this day; the tests move every date in it by the days
# since, so its restriction and adjustment are in force (review dates not passed) whenever
# the suite runs, with the same gaps between the dates.
WRITTEN_ON = date(2026, 12, 3)
DATES = re.compile(r"\b(\d{4}-\d{2}-\d{2}|\d{2}/\d{2}/\d{4})\b")


def _moved(match: re.Match) -> str:
    text = match.group(1)
    shape = "%Y-%m-%d" if "-" in text else "%d/%m/%Y"
    day = (dt.datetime.strptime(text, shape).date()  # noqa: DTZ007 (a date)
           + (timezone.localdate() - WRITTEN_ON))
    return day.strftime(shape)


def example_text() -> str:
    """The example file in docs/, its dates moved to today's (see WRITTEN_ON)."""
    return DATES.sub(_moved, EXAMPLE_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def example(tmp_path) -> Path:
    path = tmp_path / "customers-import.csv"
    path.write_text(example_text(), encoding="utf-8")
    return path
HEADER = ("register_id,given_name,family_name,preferred_name,address,postcode,"
          "preferred_language,preferred_channel,phones,emails,case_references,"
          "communication_needs\n")


@pytest.fixture(autouse=True)
def deciders(make_user):
    """The staff the example file names: its Head of Department and a point of contact."""
    department = DepartmentFactory(name="Customer Contact")
    head = make_user(Role.HEAD_OF_DEPARTMENT, username="r.hughes",
                     email="rhian.hughes@example.org", department=department)
    department.head = head
    department.save()
    make_user(Role.CASEWORKER, username="c.walsh", department=department)
    return head


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMINISTRATOR, username="importer")


def test_the_example_file_imports_every_detail(admin):
    report = customers_import(actor=admin, text=example_text(),
                              file_name="customers-import.csv")
    assert (report.rows, report.created, report.errors, report.written) == (3, 3, [], True)
    siobhan = Customer.objects.get(register_key="R-0001")
    assert siobhan.full_name == "Siobhán O'Brien"
    assert siobhan.postal_address_lines == ["12 High Street", "Bangor", "LL57 2PW"]
    assert (siobhan.preferred_language, siobhan.preferred_channel) == ("cy", "letter")
    assert sorted(siobhan.phones.values_list("number_normalised", flat=True)) == [
        "+35312345678", "+447700900123"]
    assert sorted(siobhan.case_references.values_list("reference", flat=True)) == [
        "ENQ0000102", "RFA0000101"]
    event = AuditEvent.objects.get(action="customer.imported", target_id=str(siobhan.pk))
    assert event.changes["import"] == {"file": "customers-import.csv", "line": 2}
    assert event.actor == admin


def test_a_re_run_of_the_same_file_changes_nothing(admin):
    text = example_text()
    customers_import(actor=admin, text=text, file_name="a.csv")
    events = AuditEvent.objects.count()
    again = customers_import(actor=admin, text=text, file_name="a.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Customer.objects.count() == 3
    assert CustomerPhone.objects.count() == 4
    assert AuditEvent.objects.count() == events


def test_a_corrected_file_updates_only_what_changed(admin):
    customers_import(actor=admin, text=HEADER + "R-9,Ann,Jones,,,,,,07700 900001,,,\n",
                     file_name="a.csv")
    report = customers_import(actor=admin, text=HEADER + "R-9,Anne,Jones,,,,,,07700 900001,,,\n",
                              file_name="b.csv")
    assert report.updated == 1
    event = AuditEvent.objects.get(action="customer.import_updated")
    assert event.changes["given_name"] == ["Ann", "Anne"]
    assert event.changes["import"] == {"file": "b.csv", "line": 2}


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(admin):
    CaseReferenceFactory(reference="RFA0000999")
    text = HEADER + (
        "R-1,Ann,Good,,,,,,07700 900001,,,\n"
        "R-2,Bob,Bad,,,,,,12,,,\n"
        "R-3,,,,,,,,,,,\n"
        "R-1,Ann,Twice,,,,,,,,,\n"
        "R-5,Cat,Case,,,,,,,,RFA0000999,\n"
        "R-6,Dan,Lang,,,,fr,,,,,\n"
    )
    report = customers_import(actor=admin, text=text, file_name="bad.csv")
    lines = dict(report.errors)
    assert sorted(lines) == [3, 4, 5, 6, 7]
    assert "Phone number 1 (12)" in lines[3]
    assert "first name or last name" in lines[4]
    assert "also on line 2" in lines[5]
    assert "already on another customer's record" in lines[6]
    assert "English (en) or Welsh (cy)" in lines[7]
    assert not report.written
    assert not Customer.objects.filter(register_key__isnull=False).exists()


def test_skip_bad_rows_imports_the_good_ones(admin):
    text = HEADER + "R-1,Ann,Good,,,,,,,,,\nR-2,Bob,Bad,,,,,,12,,,\n"
    report = customers_import(actor=admin, text=text, file_name="bad.csv", skip_bad_rows=True)
    assert report.written
    assert list(Customer.objects.values_list("register_key", flat=True)) == ["R-1"]


def test_a_dry_run_writes_nothing(admin):
    report = customers_import(actor=admin, text=example_text(),
                              file_name="x.csv", dry_run=True)
    assert (report.created, report.written) == (3, False)
    assert not Customer.objects.exists()
    assert not CaseReference.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_wrong_header_is_one_clear_error(admin):
    report = customers_import(actor=admin, text="name,phone\nAnn,07700 900001\n",
                              file_name="x.csv")
    assert report.errors[0][0] == 1
    assert "missing register_id" in report.errors[0][1]


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.LINE_MANAGER, Role.HEAD_OF_DEPARTMENT,
                                  Role.COMPLIANCE])
def test_only_administrators_may_import(make_user, role):
    with pytest.raises(PermissionDenied):
        customers_import(actor=make_user(role), text=HEADER, file_name="x.csv")


def test_a_superuser_without_the_role_may_not(make_user):
    with pytest.raises(PermissionDenied):
        customers_import(actor=make_user(is_superuser=True, is_staff=True), text=HEADER,
                         file_name="x.csv")


def test_the_command_imports_reports_and_refuses(admin, make_user, tmp_path, capsys, example):
    call_command("import_customers", str(example), "--as", "importer", "--dry-run")
    assert "3 customers would be added" in capsys.readouterr().out
    assert not Customer.objects.exists()
    call_command("import_customers", str(example), "--as", "importer")
    captured = capsys.readouterr()
    assert "3 customers were added" in captured.out
    assert "row 3 of 3" in captured.err  # progress
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "R-7,Bob,Bad,,,,,,12,,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_customers", str(bad), "--as", "importer")
    assert "line 2: phones" in capsys.readouterr().out
    make_user(Role.CASEWORKER, username="not-an-admin")
    with pytest.raises(CommandError, match="Only an Administrator"):
        call_command("import_customers", str(example), "--as", "not-an-admin")
    with pytest.raises(CommandError, match="No active user"):
        call_command("import_customers", str(example), "--as", "nobody-at-all")


def test_the_upload_page_for_administrators_only(client_for, admin, make_user):
    url = reverse("contacts:customer_import")
    client = client_for(admin)
    page = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page
    upload = SimpleUploadedFile("register.csv", example_text().encode(), "text/csv")
    response = client.post(url, {"file": upload, "dry_run": ""})
    assert "3 customers were added" in response.content.decode()
    assert "2 restrictions and adjustments in force were added" in response.content.decode()
    assert Customer.objects.count() == 3
    bad = SimpleUploadedFile("bad.csv", (HEADER + "R-7,Bob,Bad,,,,,,12,,,\n").encode())
    html = client.post(url, {"file": bad}).content.decode()
    assert "govuk-error-summary" in html
    assert "Line 2: phones" in html
    assert client.post(url, {}).status_code == 200  # no file: the error summary
    for role in (Role.CASEWORKER, Role.LINE_MANAGER, Role.COMPLIANCE):
        assert client_for(make_user(role)).get(url).status_code == 403


# --- Restrictions and adjustments already in force (7.2, 12, issue 16) ---------------------

R_HEADER = ("register_id,given_name,family_name,restriction_terms,"
            "restriction_call_length_minutes,restriction_point_of_contact,"
            "restriction_decided_on,restriction_decided_by,restriction_review_date,"
            "adjustment_need,adjustment_adjustments,adjustment_decided_on,"
            "adjustment_decided_by,adjustment_review_date,conflicts_acknowledged\n")


def _day(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _row(key="R-1", terms="written_only", minutes="", poc="", decided=-30, by="r.hughes",
         review=60, need="", adjustments="", a_decided="", a_by="", a_review="", ack=""):
    decided = _day(decided) if isinstance(decided, int) else decided
    review = _day(review) if isinstance(review, int) else review
    if not terms:
        decided = by = review = ""
    return (f"{key},Ann,Jones,{terms},{minutes},{poc},{decided},{by},{review},{need},"
            f"{adjustments},{a_decided},{a_by},{a_review},{ack}\n")


def test_the_example_imports_the_restriction_and_adjustment_in_force(admin, deciders):
    from restrictions.models import Restriction
    from restrictions.selectors import active_for_customer

    report = customers_import(actor=admin, text=example_text(),
                              file_name="customers-import.csv")
    assert (report.errors, report.restrictions_created) == ([], 2)
    mary = Customer.objects.get(register_key="R-0002")
    (restriction,) = active_for_customer(mary)
    assert restriction.terms == ["single_point", "call_length"]
    assert restriction.call_length_minutes == 20
    assert restriction.point_of_contact.username == "c.walsh"
    assert restriction.decided_by == deciders
    assert restriction.department == deciders.department
    assert restriction.requested_by == admin  # who recorded it; the Head decided it
    assert restriction.start_date == timezone.localdate(restriction.decided_at)
    assert restriction.review_date > restriction.start_date
    (transition,) = restriction.transitions.all()
    assert (transition.action, transition.actor, transition.to_status) == (
        "approve", deciders, "approved")
    assert transition.changes["imported"]["file"] == "customers-import.csv"
    assert transition.changes["imported"]["line"] == 3
    event = AuditEvent.objects.get(action="restriction.imported",
                                   target_id=str(restriction.pk))
    assert event.actor == admin
    assert event.changes["import"] == {"file": "customers-import.csv", "line": 3}
    assert event.changes["decided_by"] == deciders.pk
    siobhan = Customer.objects.get(register_key="R-0001")
    (adjustment,) = active_for_customer(siobhan)
    assert adjustment.kind == "adjustment"
    assert adjustment.adjustments == ["extra_time", "large_print"]  # a label works too
    assert adjustment.decided_by == deciders  # named by email
    # 12: the Head is reminded before each review date
    from notifications.models import DueItem
    assert DueItem.objects.filter(kind="restriction_review_due", recipient=deciders).count() == 2
    # the importing Administrator, who may not open them, is not sent review notices
    assert not DueItem.objects.filter(recipient=admin).exists()
    assert Restriction.objects.count() == 2


def test_a_re_run_imports_no_restriction_twice(admin):
    from restrictions.models import Restriction, RestrictionTransition

    text = example_text()
    customers_import(actor=admin, text=text, file_name="a.csv")
    events, transitions = AuditEvent.objects.count(), RestrictionTransition.objects.count()
    again = customers_import(actor=admin, text=text, file_name="a.csv")
    assert (again.errors, again.restrictions_created, again.restrictions_unchanged) == (
        [], 0, 2)
    assert Restriction.objects.count() == 2
    assert (AuditEvent.objects.count(), RestrictionTransition.objects.count()) == (
        events, transitions)


def test_a_re_run_after_a_renewal_still_changes_nothing(admin, deciders):
    from restrictions.services import restriction_renew

    text = R_HEADER + _row()
    customers_import(actor=admin, text=text, file_name="a.csv")
    record = Customer.objects.get().restrictions.get()
    restriction_renew(restriction=record, actor=deciders, review_date=record.review_date
                      + dt.timedelta(days=30), reason="Still calling daily")
    again = customers_import(actor=admin, text=text, file_name="a.csv")
    assert (again.errors, again.restrictions_unchanged) == ([], 1)


def test_a_changed_row_for_an_imported_record_is_a_bad_row(admin):
    customers_import(actor=admin, text=R_HEADER + _row(), file_name="a.csv")
    report = customers_import(actor=admin, text=R_HEADER + _row(terms="email_only"),
                              file_name="b.csv")
    (line, reason), = report.errors
    assert line == 2
    assert "imported from a.csv (line 2) with different details" in reason
    assert Customer.objects.get().restrictions.get().terms == ["written_only"]


def test_a_dry_run_writes_no_restriction(admin):
    from notifications.models import DueItem
    from restrictions.models import Restriction, RestrictionTransition

    report = customers_import(actor=admin, text=example_text(), file_name="x.csv",
                              dry_run=True)
    assert (report.errors, report.restrictions_created, report.written) == ([], 2, False)
    assert not Restriction.objects.exists()
    assert not RestrictionTransition.objects.exists()
    assert not DueItem.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(("row", "reason"), [
    (_row(by="nobody@example.org"),
     "restriction_decided_by: No member of staff has the username or email nobody@"),
    (_row(by=""), "restriction_decided_by: Empty: a restriction in force needs"),
    (_row(decided=""), "restriction_decided_on: Empty"),
    (_row(decided="31-02-2026"), "restriction_decided_on: 31-02-2026 is not a date"),
    (_row(decided=-10, review=-20), "The review date must be after the decision date"),
    (_row(decided=-10, review=-10), "The review date must be after the decision date"),
    (_row(decided=-200, review=-1), "has passed, so the restriction is no longer in force"),
    (_row(decided=5, review=60), "The decision date must be today or in the past"),
    (_row(decided=-10, review=300), "no more than 6 months after the start date"),
    (_row(terms="shout_loudly"), "restriction_terms: shout_loudly not known"),
    (_row(terms="call_length"), "Enter the longest a call may last"),
    (_row(terms="single_point", poc="ghost"), "restriction_point_of_contact: No member"),
    (_row(terms="", need="Deaf", adjustments="interpreter", a_decided=_day(-5),
          a_by="r.hughes", a_review=""), "adjustment_review_date: Empty"),
    (_row(terms="", adjustments="interpreter", a_decided=_day(-5), a_by="r.hughes",
          a_review=_day(30)), "Describe the customer's need"),
    (_row(by="importer"), "The decider cannot be the Administrator importing the file"),
    (_row(ack="perhaps"), "conflicts_acknowledged: Must be yes or no"),
])
def test_bad_restriction_rows_are_reported_with_their_line_and_reason(admin, row, reason):
    from restrictions.models import Restriction

    report = customers_import(actor=admin, text=R_HEADER + _row(key="R-0") + row,
                              file_name="bad.csv")
    assert [line for line, _ in report.errors] == [3]
    assert reason in report.errors[0][1], report.errors[0][1]
    assert not report.written
    assert not Restriction.objects.exists()
    assert not Customer.objects.exists()  # none of a file with errors


def test_skip_bad_rows_imports_the_good_restrictions(admin):
    from restrictions.models import Restriction

    report = customers_import(actor=admin, text=R_HEADER + _row(key="R-0")
                              + _row(by="nobody"), file_name="bad.csv", skip_bad_rows=True)
    assert report.written
    assert list(Restriction.objects.values_list("customer__register_key", flat=True)) == [
        "R-0"]
    assert not Customer.objects.filter(register_key="R-1").exists()  # the whole row is out


def test_the_12_3_conflict_between_a_restriction_and_an_adjustment_must_be_acknowledged(
        admin):
    """A call-length limit clashes with an agreed adjustment for extra time (12.3)."""
    from restrictions.models import Restriction

    both = {"terms": "call_length", "minutes": "15", "need": "Needs time to answer",
            "adjustments": "extra_time", "a_decided": _day(-40), "a_by": "r.hughes",
            "a_review": _day(200)}
    report = customers_import(actor=admin, text=R_HEADER + _row(**both), file_name="a.csv")
    (line, reason), = report.errors
    assert line == 2
    assert "A limit on call length clashes with an agreed adjustment for extra time" in reason
    assert "conflicts_acknowledged" in reason
    assert not Restriction.objects.exists()
    report = customers_import(actor=admin, text=R_HEADER + _row(**both, ack="yes"),
                              file_name="a.csv")
    assert (report.errors, report.restrictions_created) == ([], 2)
    adjustment = Restriction.objects.get(kind="adjustment")
    assert adjustment.transitions.get().changes["conflicts"] == [
        "A limit on call length clashes with an agreed adjustment for extra time."]


def test_the_conflict_rule_sees_a_record_already_in_force(admin, deciders):
    """An adjustment imported for a customer whose restriction is already in force."""
    customers_import(actor=admin, text=R_HEADER + _row(terms="call_length", minutes="15"),
                     file_name="a.csv")
    report = customers_import(
        actor=admin, text=R_HEADER + _row(terms="call_length", minutes="15",
                                          need="Slow speech", adjustments="extra_time",
                                          a_decided=_day(-3), a_by="r.hughes",
                                          a_review=_day(100)), file_name="b.csv")
    assert "clashes" in report.errors[0][1]


def test_a_second_restriction_in_force_is_refused(admin, deciders):
    from restrictions.constants import Kind, Term
    from restrictions.services import Proposal, restriction_approve, restriction_create

    customers_import(actor=admin, text=R_HEADER + _row(terms=""), file_name="a.csv")
    customer = Customer.objects.get()
    manager = UserFactory(roles=[Role.LINE_MANAGER], department=deciders.department)
    made = restriction_create(requested_by=manager, customer=customer, kind=Kind.RESTRICTION,
                              proposal=Proposal(start_date=timezone.localdate(),
                                                grounds="Abuse", terms=[Term.EMAIL_ONLY]),
                              submit=True)
    restriction_approve(restriction=made, actor=deciders)
    report = customers_import(actor=admin, text=R_HEADER + _row(), file_name="a.csv")
    assert f"already has a restriction in force (restriction {made.pk})" in report.errors[0][1]


def test_the_command_reports_an_unknown_decider_with_its_line(admin, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(R_HEADER + _row(key="R-0") + _row(by="ghost@example.org"),
                   encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_customers", str(bad), "--as", "importer")
    assert ("line 3: restriction_decided_by: No member of staff has the username or email "
            "ghost@example.org" in capsys.readouterr().out)


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.LINE_MANAGER, Role.HEAD_OF_DEPARTMENT,
                                  Role.COMPLIANCE, Role.SENIOR_STAFF])
def test_only_an_administrator_may_import_a_restriction(make_user, role, deciders):
    from restrictions.services_import import ImportedDecision, restriction_import
    from tests.contacts.factories import CustomerFactory

    decision = ImportedDecision(kind="restriction", decided_on=timezone.localdate(),
                                decided_by=deciders, review_date=timezone.localdate()
                                + dt.timedelta(days=30), grounds="x", terms=["email_only"])
    with pytest.raises(PermissionDenied):
        restriction_import(actor=make_user(role), customer=CustomerFactory(),
                           decision=decision, file_name="x.csv", line=2)
    with pytest.raises(PermissionDenied):
        restriction_import(actor=make_user(is_superuser=True, is_staff=True),
                           customer=CustomerFactory(), decision=decision, file_name="x.csv",
                           line=2)
