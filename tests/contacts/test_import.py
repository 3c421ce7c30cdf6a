"""Importing the existing register (issue 16): a good file, bad rows with line numbers,
nothing imported from a file with errors unless skipped, re-run idempotent, dry run."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.constants import Role
from audit.models import AuditEvent
from contacts.importing import customers_import
from contacts.models import CaseReference, Customer, CustomerPhone
from tests.contacts.factories import CaseReferenceFactory

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "customers-import.csv"
HEADER = ("register_id,given_name,family_name,preferred_name,address,postcode,"
          "preferred_language,preferred_channel,phones,emails,case_references,"
          "communication_needs\n")


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMINISTRATOR, username="importer")


def test_the_example_file_imports_every_detail(admin):
    report = customers_import(actor=admin, text=EXAMPLE.read_text(encoding="utf-8"),
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
    text = EXAMPLE.read_text(encoding="utf-8")
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
    report = customers_import(actor=admin, text=EXAMPLE.read_text(encoding="utf-8"),
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


def test_the_command_imports_reports_and_refuses(admin, make_user, tmp_path, capsys):
    call_command("import_customers", str(EXAMPLE), "--as", "importer", "--dry-run")
    assert "3 customers would be added" in capsys.readouterr().out
    assert not Customer.objects.exists()
    call_command("import_customers", str(EXAMPLE), "--as", "importer")
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
        call_command("import_customers", str(EXAMPLE), "--as", "not-an-admin")
    with pytest.raises(CommandError, match="No active user"):
        call_command("import_customers", str(EXAMPLE), "--as", "nobody-at-all")


def test_the_upload_page_for_administrators_only(client_for, admin, make_user):
    url = reverse("contacts:customer_import")
    client = client_for(admin)
    page = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page
    upload = SimpleUploadedFile("register.csv", EXAMPLE.read_bytes(), "text/csv")
    response = client.post(url, {"file": upload, "dry_run": ""})
    assert "3 customers were added" in response.content.decode()
    assert Customer.objects.count() == 3
    bad = SimpleUploadedFile("bad.csv", (HEADER + "R-7,Bob,Bad,,,,,,12,,,\n").encode())
    html = client.post(url, {"file": bad}).content.decode()
    assert "govuk-error-summary" in html
    assert "Line 2: phones" in html
    assert client.post(url, {}).status_code == 200  # no file: the error summary
    for role in (Role.CASEWORKER, Role.LINE_MANAGER, Role.COMPLIANCE):
        assert client_for(make_user(role)).get(url).status_code == 403
