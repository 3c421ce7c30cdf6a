"""The Departments screen (administrators): who heads each department and who acts as its
Head (7.2, 12.1). Thin views over ``accounts.services``; every change is audited there."""


from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Submit
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts import services
from accounts.constants import Role
from accounts.models import ActingHeadOfDepartment, Department, User
from accounts.selectors import acting_in_force
from core.fields import GovukDateField
from core.plumbing import add_service_errors as _put_errors
from core.plumbing import require_perm

MANAGE = "accounts.manage_departments"

DATE_HINT = "For example, 27 3 2027"


def _staff(queryset):
    return queryset.filter(is_active=True).order_by("last_name", "first_name", "username")


class HeadForm(forms.Form):
    head = forms.ModelChoiceField(label="Head of Department", required=False,
                                  queryset=User.objects.none(),
                                  empty_label="Nobody (no Head for now)",
                                  help_text="Only staff holding the Head of Department role")
    reason = forms.CharField(label="Reason for the change", widget=forms.Textarea(
        attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = _staff(User.objects.filter(
            groups__name=Role.HEAD_OF_DEPARTMENT))
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.select("head"), Field.textarea("reason"),
                                    Submit("submit", "Save the Head of Department"))


class ActingForm(forms.Form):
    acting_head = forms.ModelChoiceField(label="Acting Head of Department",
                                         queryset=User.objects.none())
    starts_on = GovukDateField(label="From", help_text=DATE_HINT, require_all_fields=False)
    ends_on = GovukDateField(label="Until (the last day they act)", help_text=DATE_HINT,
                             require_all_fields=False)
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="For example, the Head's annual leave")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["acting_head"].queryset = _staff(User.objects.all())
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("acting_head"), Field("starts_on"), Field("ends_on"),
            Field.textarea("reason"), Submit("submit", "Appoint the acting Head"))


class EndForm(forms.Form):
    reason = forms.CharField(label="Reason for ending it early", widget=forms.Textarea(
        attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.textarea("reason"),
                                    Submit("submit", "End the acting appointment"))


def _page(request, form, title, department) -> HttpResponse:
    return render(request, "accounts/department_form.html",
                  {"form": form, "page_title": title, "department": department})


def department_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, MANAGE)
    departments = list(Department.objects.select_related("head").order_by("name"))
    running = {}
    for appointment in acting_in_force().select_related("acting_head", "appointed_by"):
        running.setdefault(appointment.department_id, []).append(appointment)
    upcoming = ActingHeadOfDepartment.objects.filter(
        starts_on__gt=timezone.localdate(), ended_early_on__isnull=True).select_related(
        "acting_head", "department")
    return render(request, "accounts/department_list.html", {
        "rows": [(d, running.get(d.pk, [])) for d in departments],
        "upcoming": list(upcoming)})


def department_head(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    department = get_object_or_404(Department, pk=pk)
    form = HeadForm(request.POST or None, initial={"head": department.head_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.department_head_set(department=department, actor=request.user,
                                         head=form.cleaned_data["head"],
                                         reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(request, f"Head of Department of {department} saved")
            return redirect("accounts:departments")
    return _page(request, form, f"Head of Department: {department}", department)


def acting_head_appoint(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    department = get_object_or_404(Department, pk=pk)
    form = ActingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.acting_head_appoint(
                department=department, actor=request.user, acting_head=data["acting_head"],
                starts_on=data["starts_on"], ends_on=data["ends_on"], reason=data["reason"])
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(request, f"Acting Head of Department of {department} appointed")
            return redirect("accounts:departments")
    return _page(request, form, f"Appoint an acting Head of Department: {department}",
                 department)


def acting_head_end(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE)
    appointment = get_object_or_404(
        ActingHeadOfDepartment.objects.select_related("department", "acting_head"), pk=pk)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.acting_head_end(appointment=appointment, actor=request.user,
                                     reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(request, "Acting appointment ended")
            return redirect("accounts:departments")
    return _page(request, form, f"End {appointment.acting_head}'s acting appointment",
                 appointment.department)
