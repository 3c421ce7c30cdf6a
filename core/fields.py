"""Form fields shared by every app (issue 19, finding 4).

``GovukDateField`` is the one GOV.UK date input: crispy-forms-gds's ``DateInputField`` checks
only that each part is digits, so a year of 99999999999999999999 reached ``datetime.date``
and raised OverflowError (a 500 on every date field). Here each part is checked on its own
(day 1-2 digits, month 1-2 digits, year exactly 4) and an impossible date is a form error,
with the GOV.UK Design System's wording.
"""

from datetime import date

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

_PARTS = (
    (r"^[0-9]{1,2}$", "Day must be a number from 1 to 31"),
    (r"^[0-9]{1,2}$", "Month must be a number from 1 to 12"),
    (r"^[0-9]{4}$", "Year must include 4 numbers"),
)


class GovukDateField(DateInputField):
    """Day, month and year boxes that give a form error, never a 500, for any input."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for part, (pattern, message) in zip(self.fields, _PARTS, strict=True):
            part.validators = [RegexValidator(pattern, message)]
            part.max_length = None

    def compress(self, data_list):
        if not data_list or not all(data_list):
            return None
        day, month, year = (int(part) for part in data_list)
        if not 1 <= month <= 12:
            raise ValidationError("Month must be a number from 1 to 12", code="invalid")
        try:
            return date(year, month, day)
        except (ValueError, OverflowError) as error:
            raise ValidationError("Enter a real date", code="invalid") from error


class DateInput(forms.DateInput):
    """The browser's date picker, styled as a GOV.UK input, for filters (from, to) where one
    box reads better than three; the value is always ISO 8601, as the browser sends it."""

    input_type = "date"

    def __init__(self, attrs=None, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(attrs={"class": "govuk-input", **(attrs or {})}, **kwargs)
