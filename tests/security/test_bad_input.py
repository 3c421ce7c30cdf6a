"""Issue 19, finding 4: the inputs the probe answered with a 500, each fixed at its root.

One way to read an id from a query string (``core.ids.parse_id``) and one GOV.UK date field
that checks its parts (``core.fields.GovukDateField``); every date field of the project is
that field (checked by walking the forms).
"""

import pytest
from crispy_forms_gds.fields import DateInputField
from django import forms
from django.urls import reverse

from core.fields import GovukDateField
from core.ids import MAX_ID, parse_id
from tests.security.world import World

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.mark.parametrize("raw", ["²", "٣", "1²", "-1", "0", " 1", "1 ", "", "1.0", HUGE,
                                 str(MAX_ID + 1), None, "0x10"])
def test_parse_id_refuses_anything_but_ascii_digits_within_bigint(raw):
    assert parse_id(raw) is None


@pytest.mark.parametrize(("raw", "value"), [("1", 1), ("007", 7), (str(MAX_ID), MAX_ID)])
def test_parse_id_reads_ids(raw, value):
    assert parse_id(raw) == value


@pytest.mark.parametrize("url_name", ["atrisk:report_create", "welfare:distress_raise"])
@pytest.mark.parametrize("raw", ["²", HUGE])
def test_contact_in_the_query_string(url_name, raw, client_for):
    world = World()
    response = client_for(world.caseworker).get(reverse(url_name) + f"?contact={raw}")
    assert response.status_code in (200, 403)


def test_inbox_page_number_posted_back(client_for):
    world = World()
    response = client_for(world.caseworker).post(reverse("notifications:mark_all_read"),
                                                 {"page": "²"})
    assert response.status_code == 302
    assert "page=" not in response["Location"]


@pytest.mark.parametrize("raw", ["abc", "²", HUGE])
def test_retention_apply_with_a_bad_run_id(raw, client_for):
    world = World()
    response = client_for(world.compliance).post(reverse("privacy:retention"), {"apply": raw})
    assert response.status_code == 404


@pytest.mark.parametrize(("day", "month", "year", "message"), [
    ("1", "1", HUGE, "Year must include 4 numbers"),
    ("1", "1", "202", "Year must include 4 numbers"),
    ("1", "13", "2026", "Month must be a number from 1 to 12"),
    ("31", "2", "2026", "Enter a real date"),
    ("0", "1", "2026", "Enter a real date"),
    ("1", "1", "0000", "Enter a real date"),
    ("²", "1", "2026", "Day must be a number from 1 to 31"),
    (HUGE, "1", "2026", "Day must be a number from 1 to 31"),
])
def test_date_field_checks_each_part(day, month, year, message):
    class DateForm(forms.Form):
        on = GovukDateField(label="On", require_all_fields=False)

    form = DateForm({"on_0": day, "on_1": month, "on_2": year})
    assert not form.is_valid()
    assert message in form.errors["on"]


def test_date_field_reads_a_real_date():
    class DateForm(forms.Form):
        on = GovukDateField(label="On")

    form = DateForm({"on_0": "29", "on_1": "2", "on_2": "2028"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["on"].isoformat() == "2028-02-29"


def _project_forms():
    import importlib

    for module in ("callogs.forms", "restrictions.forms", "welfare.forms", "privacy.forms",
                   "atrisk.forms", "contacts.forms", "accounts.forms"):
        for value in vars(importlib.import_module(module)).values():
            if isinstance(value, type) and issubclass(value, forms.BaseForm):
                yield value


def test_every_date_input_of_the_project_is_the_checked_field():
    plain = [f"{form.__module__}.{form.__name__}.{name}"
             for form in _project_forms()
             for name, field in getattr(form, "base_fields", {}).items()
             if isinstance(field, DateInputField) and not isinstance(field, GovukDateField)]
    assert not plain, f"use core.fields.GovukDateField: {plain}"


@pytest.mark.parametrize(("url", "actor", "prefix"), [
    (lambda w: reverse("restrictions:create", args=[w.customer.pk]), "manager", "start_date"),
    (lambda w: reverse("callogs:review", args=[w.submitted_log.pk]), "manager", "discussed_on"),
    (lambda w: reverse("callogs:log_edit", args=[w.draft_log.pk]), "caseworker", "call_date"),
    (lambda w: reverse("welfare:follow_up_detail", args=[w.follow_up.pk]), "manager",
     "held_on"),
])
def test_a_huge_year_in_a_date_field_is_a_form_error(url, actor, prefix, client_for):
    world = World()
    response = client_for(world.actor(actor)).post(url(world), {
        f"{prefix}_0": "1", f"{prefix}_1": "1", f"{prefix}_2": HUGE})
    assert response.status_code == 200
    assert "Year must include 4 numbers" in response.content.decode()


def test_no_module_but_core_fields_uses_the_unchecked_date_field():
    """Forms that build their fields in ``__init__`` escape the walk above; the source does not."""
    from pathlib import Path

    from django.conf import settings

    users = [str(path) for path in Path(settings.BASE_DIR).glob("*/**/*.py")
             if ".venv" not in path.parts and "tests" not in path.parts
             and "DateInputField" in path.read_text() and path.name != "fields.py"]
    assert not users, users


@pytest.mark.parametrize("target", ["0", "home", "contacts:lookup"])
def test_take_over_with_a_next_that_is_not_a_path(target, client_for):
    """Found by the fuzzing: ``redirect("0")`` reversed "0" as a view name."""
    world = World()
    response = client_for(world.manager).post(
        reverse("callogs:take_over", args=[world.contact.pk]), {"next": target})
    assert response.status_code == 302
