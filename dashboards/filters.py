"""The report filters (django-filter): only declared values are accepted.

Department and team choices are limited to the user's scope, so changing an id in the URL
to someone else's team gives a form error, not their figures.
"""

from datetime import date
from functools import partial

import django_filters
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from contacts.constants import Channel
from dashboards.reports import BY_MONTH, MAX_MONTHS, ReportDef, Scope, month_starts


def default_range(today: date | None = None) -> tuple[date, date]:
    """The last twelve months, this one included."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    for _ in range(11):
        first = (first.replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
    return first, today


def _options(field: forms.ChoiceField) -> list[tuple]:
    if isinstance(field, forms.ModelChoiceField):
        empty = [] if field.empty_label is None else [("", field.empty_label)]
        return empty + [(obj.pk, field.label_from_instance(obj)) for obj in field.queryset]
    return list(field.choices)


class ReportFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()  # the GOV.UK error summary reads its settings

    def clean(self):
        cleaned = super().clean()
        first, last = default_range()
        date_from = cleaned.get("date_from") or first
        date_to = cleaned.get("date_to") or last
        if "date_from" not in self.errors and "date_to" not in self.errors:
            if date_from > date_to:
                self.add_error("date_to", "The end date must be the same as or after the "
                                          "start date")
            elif len(month_starts(date_from, date_to)) > MAX_MONTHS:
                raise ValidationError(f"Choose a range of at most {MAX_MONTHS} months")
        return cleaned


class _Ignore:
    """The figures are filtered in ``reports.compute``; the filterset validates."""

    def keep(self, queryset, name, value):
        return queryset


class ReportFilter(_Ignore, django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        label="From", method="keep", input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text="For example, 2026-01-31")
    date_to = django_filters.DateFilter(
        label="To", method="keep", input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text="For example, 2026-12-31")
    by = django_filters.ChoiceFilter(label="Show figures by", method="keep",
                                     empty_label="Month")
    department = django_filters.ModelChoiceFilter(
        label="Department", method="keep", queryset=None, empty_label="All you may see")
    team = django_filters.ModelChoiceFilter(
        label="Team (line manager)", method="keep", queryset=None,
        empty_label="All you may see")
    channel = django_filters.ChoiceFilter(label="Channel", method="keep",
                                          choices=Channel.choices, empty_label="All channels")

    class Meta:
        form = ReportFilterForm
        fields = ["date_from", "date_to", "by", "department", "team", "channel"]

    def __init__(self, data=None, *, report: ReportDef, scope: Scope, **kwargs):
        super().__init__(data, queryset=report.model.objects.none(), **kwargs)
        self.report = report
        self.filters["by"].extra["choices"] = report.by_choices
        self.filters["department"].queryset = scope.department_choices()
        self.filters["team"].queryset = scope.team_choices()
        if not report.channel_field:
            del self.filters["channel"]
        # The options each select shows, read once with a plain query: walking a model
        # choice field in the template counts its table and opens a cursor every time.
        # Lazy: the CSV download never renders them.
        for form_field in self.form.fields.values():
            if isinstance(form_field, forms.ChoiceField):
                form_field.options = SimpleLazyObject(partial(_options, form_field))
        loaded = scope.loaded_department_choices()
        if loaded is not None:  # the departments the scope read: no second query
            departments = self.form.fields["department"]
            departments.options = [("", departments.empty_label),
                                   *((d.pk, departments.label_from_instance(d)) for d in loaded)]
        # The team managers are read once, for the select and for naming the report's teams.
        teams = self.form.fields["team"]
        self._team_managers = SimpleLazyObject(lambda: list(teams.queryset))
        teams.options = SimpleLazyObject(lambda: [
            ("", teams.empty_label),
            *((user.pk, teams.label_from_instance(user)) for user in self._team_managers)])

    def team_names(self) -> dict[int, tuple[str, str, str]]:
        """Each team manager's (first name, last name, username), as the team select read
        them: ``reports.compute`` names the teams' rows from these without a query."""
        return {user.pk: (user.first_name, user.last_name, user.username)
                for user in self._team_managers}

    def values(self) -> dict:
        """The validated choices with defaults filled in (call after ``is_valid``)."""
        data = self.form.cleaned_data
        first, last = default_range()
        return {
            "date_from": data.get("date_from") or first,
            "date_to": data.get("date_to") or last,
            "by": data.get("by") or BY_MONTH,
            "department": data.get("department"),
            "team": data.get("team"),
            "channel": data.get("channel") or "",
        }
