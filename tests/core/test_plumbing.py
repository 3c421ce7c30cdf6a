"""The view plumbing is written once (issue 17, housekeeping): ``core.plumbing``."""

import ast
import pathlib

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from core.plumbing import add_service_errors, attempt, csv_safe, require_perm


class _Form(forms.Form):
    name = forms.CharField()


def _bound():
    form = _Form({"name": "x"})
    form.is_valid()
    return form


def test_a_named_field_error_goes_on_that_field_and_others_on_the_summary():
    form = _bound()
    add_service_errors(form, ValidationError({"name": "Enter a name", "elsewhere": "Nope"}))
    assert form.errors["name"] == ["Enter a name"]
    assert form.non_field_errors() == ["Nope"]


def test_a_plain_error_goes_on_the_summary():
    form = _bound()
    add_service_errors(form, ValidationError(["One", "Two"]))
    assert form.non_field_errors() == ["One", "Two"]


def test_attempt_returns_the_result_or_none_with_the_errors_on_the_form():
    form = _bound()
    assert attempt(form, lambda: 42) == 42
    assert form.is_valid()

    def refuse():
        raise ValidationError({"name": "Taken"})

    assert attempt(form, refuse) is None
    assert form.errors["name"] == ["Taken"]


def test_attempt_lets_a_refusal_of_who_may_act_through():
    def deny():
        raise PermissionDenied("Not yours")

    with pytest.raises(PermissionDenied):
        attempt(_bound(), deny)


def test_require_perm_denies_by_default():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied):
        require_perm(request, "contacts.lookup_customers")


@pytest.mark.parametrize(("value", "expected"), [
    ("=SUM(A1)", "'=SUM(A1)"), ("+44 20", "'+44 20"), ("-1", "'-1"), ("@x", "'@x"),
    ("\tx", "'\tx"), ("plain", "plain"), (None, ""), (7, "7"),
])
def test_csv_safe(value, expected):
    assert csv_safe(value) == expected


def _own_modules():
    root = pathlib.Path(settings.BASE_DIR)
    for app in ("accounts", "api", "atrisk", "audit", "callogs", "contacts", "core",
                "dashboards", "documents", "notifications", "privacy", "restrictions",
                "welfare"):
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" not in path.parts and path.name != "plumbing.py":
                yield path


def _copies(path: pathlib.Path) -> list[str]:
    """Functions that re-implement a plumbing helper: a form-error adder (reads
    ``error_dict`` or ``message_dict`` and calls ``add_error``) or a CSV-injection guard."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.FunctionDef):
            continue
        source = ast.unparse(node)
        if "add_error" in source and ("error_dict" in source or "message_dict" in source):
            found.append(f"{path.name}:{node.name} (form-error adder)")
        if "CSV_FORMULA_PREFIXES" in source or ("startswith((" in source and "'='" in source):
            found.append(f"{path.name}:{node.name} (CSV guard)")
        if (node.name.startswith("_") and "has_perm" in source and "PermissionDenied" in source
                and len(node.body) == 1 and isinstance(node.body[0], ast.If)):
            found.append(f"{path.name}:{node.name} (permission check)")
    return found


def test_no_app_keeps_its_own_copy_of_the_plumbing():
    copies = [copy for path in _own_modules() for copy in _copies(path)]
    assert copies == [], f"use core.plumbing instead of: {copies}"
