"""View plumbing written once for every app's thin views (issue 17, housekeeping).

Each app had its own copy of these: a permission check that raises 403, a function putting a
service's ``ValidationError`` on a form, a service call that turns a rule breach into form
errors, a form page renderer and the CSV-injection guard. Views import them from here; the
rules themselves stay in the services (``core.permissions.require``), these only present them.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def require_perm(request: HttpRequest, perm: str, obj=None) -> None:
    """Deny by default: a 403 unless the signed-in user holds ``perm`` (on ``obj``)."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form: against the field it names when the
    form has that field, otherwise in the error summary as a form-wide error."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def attempt(form: forms.Form, action: Callable[[], Any]) -> Any:
    """Run a service; a rule breach becomes form errors (never a 500). ``None`` on failure."""
    try:
        return action()
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def form_page(request: HttpRequest, form: forms.Form, title: str, template: str,
              **context) -> HttpResponse:
    """A page holding one form, with its title (and the error summary, in the template)."""
    return render(request, template, {"form": form, "page_title": title, **context})


CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(CSV_FORMULA_PREFIXES) else text
