"""Pages for communication needs (6.1, 12.2): report one, and the line manager's decision."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from contacts.customer_services import may_keep_customers
from contacts.forms import FormHelper
from contacts.models import CommunicationNeedReport, Customer
from contacts.needs_services import (
    communication_need_decline,
    communication_need_propose,
    communication_need_report,
    may_decide_need,
)
from contacts.views import _attempt, _data


class NeedReportForm(forms.Form):
    need = forms.CharField(
        label="What does the customer appear to need?", max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="6.1: for example, they seem to have difficulty hearing and speak loudly.",
        error_messages={"required": "Describe what the customer appears to need"})
    suggestion = forms.CharField(label="What might help? (optional)", max_length=5000,
                                 required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        from crispy_forms_gds.layout import Field, Layout, Submit

        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.textarea("need"), Field.textarea("suggestion"),
                                    Submit("submit", "Send to my line manager"))


class NeedDeclineForm(forms.Form):
    reason = forms.CharField(label="Why is no adjustment proposed?", max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Say why no adjustment is proposed"})

    def __init__(self, *args, **kwargs):
        from crispy_forms_gds.layout import Field, Layout, Submit

        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.textarea("reason"),
                                    Submit("decline", "Record that no adjustment is proposed",
                                           css_class="govuk-button--secondary"))


def need_report(request: HttpRequest, pk: int) -> HttpResponse:
    """A caseworker reports a customer's apparent need to their line manager (12.2)."""
    if not may_keep_customers(request.user):
        raise PermissionDenied
    customer = Customer.objects.filter(pk=pk, merged_into__isnull=True).first()
    if customer is None:
        raise Http404
    form = NeedReportForm(_data(request))
    if request.method == "POST" and form.is_valid():
        report = _attempt(form, lambda: communication_need_report(
            actor=request.user, customer=customer, **form.cleaned_data))
        if report:
            messages.success(request, "Sent to your line manager to consider (12.2)")
            return redirect("contacts:customer_detail", pk=customer.pk)
    return render(request, "contacts/form_page.html", {
        "form": form, "page_title": "Report a communication need",
        "back": reverse("contacts:customer_detail", args=[customer.pk]),
        "intro": "6.1, 12.2: if the customer appears to have a disability or other need "
                 "affecting how we communicate with them, tell your line manager. They can "
                 "propose a reasonable adjustment; a Head of Department decides."})


def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The line manager proposes an adjustment from the report, or records why not."""
    report = (CommunicationNeedReport.objects.select_related("customer", "raised_by",
                                                             "adjustment")
              .filter(pk=pk).first())
    if report is None:
        raise Http404
    if not may_decide_need(request.user, report):
        raise PermissionDenied
    form = NeedDeclineForm(request.POST if "decline" in request.POST else None)
    if request.method == "POST" and "propose" in request.POST:
        adjustment = _attempt(form, lambda: communication_need_propose(actor=request.user,
                                                                       report=report))
        if adjustment:
            messages.success(request, "Draft reasonable adjustment made from the report: "
                                      "choose the adjustments and submit it")
            return redirect("restrictions:edit", adjustment.pk)
    elif request.method == "POST" and form.is_valid():
        done = _attempt(form, lambda: communication_need_decline(
            actor=request.user, report=report, reason=form.cleaned_data["reason"]))
        if done:
            messages.success(request, "Recorded")
            return redirect("contacts:need_detail", pk=report.pk)
    return render(request, "contacts/need_detail.html", {"report": report, "form": form})
