"""Welfare pages: follow-ups (8.2, 14.2) and distress flags (2.2). Every view is audited."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from audit.services import audit_viewed
from contacts.models import Contact
from core.ids import query_id
from core.plumbing import add_service_errors as _apply_errors
from welfare import selectors, services
from welfare.constants import SICKNESS_ABSENCE_NOTE, DistressStatus, FollowUpStatus
from welfare.forms import DistressAcknowledgeForm, DistressFlagForm, FollowUpCompleteForm
from welfare.models import DistressFlag, WelfareFollowUp


def home(request: HttpRequest) -> HttpResponse:
    """Staff welfare: meetings to hold and flags to answer (managers), and your own."""
    if not request.user.has_perm("welfare.view_welfare"):
        raise PermissionDenied
    user = request.user
    is_manager = user.has_perm("welfare.view_manager_work")
    return render(request, "welfare/welfare_home.html", {
        "is_manager": is_manager,
        "to_hold": list(selectors.follow_ups_to_hold(user)) if is_manager else [],
        "to_answer": list(selectors.distress_flags_to_answer(user)) if is_manager else [],
        "mine": list(selectors.follow_ups_about(user)),
        "my_flags": list(selectors.distress_flags_raised_by(user)),
    })


def follow_up_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One follow-up; its manager (or one above) records the meeting here (14.2)."""
    try:
        follow_up = selectors.follow_up_detail(pk)
    except WelfareFollowUp.DoesNotExist as exc:
        raise Http404 from exc
    if not request.user.has_perm("welfare.view_follow_up", follow_up):
        raise PermissionDenied
    audit_viewed(actor=request.user, target=follow_up, what="welfare follow-up")
    can_complete = (follow_up.status == FollowUpStatus.SCHEDULED
                    and request.user.has_perm("welfare.complete_follow_up", follow_up))
    form = FollowUpCompleteForm(request.POST or None) if can_complete else None
    if request.method == "POST":
        if form is None:
            messages.error(request, "This welfare follow-up cannot be recorded by you now.")
            return redirect("welfare:follow_up_detail", pk=pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.welfare_follow_up_complete(follow_up=follow_up, actor=request.user,
                                                    **data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, "Welfare meeting recorded.")
                return redirect("welfare:follow_up_detail", pk=pk)
    return render(request, "welfare/followup_detail.html", {
        "follow_up": follow_up, "form": form, "sickness_note": SICKNESS_ABSENCE_NOTE,
    })


def _own_contact(request: HttpRequest) -> Contact | None:
    """The contact the flag was raised from, if it is one the user is handling."""
    pk = query_id(request, "contact")
    if pk is None:
        return None
    contact = Contact.objects.filter(pk=pk).first()
    if contact is None or request.user.pk not in (contact.staff_id, contact.taken_over_by_id):
        return None
    return contact


def distress_raise(request: HttpRequest) -> HttpResponse:
    """2.2: "I feel uncomfortable or distressed" reaches a manager at once."""
    if not request.user.has_perm("welfare.raise_distress_flag"):
        raise PermissionDenied
    contact = _own_contact(request)
    form = DistressFlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            flag = services.distress_flag_raise(staff=request.user, contact=contact,
                                                note=form.cleaned_data["note"],
                                                idempotency_key=form.cleaned_data["idempotency_key"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"{flag.routed_to.get_full_name() or flag.routed_to} "
                                      "has been told and will contact you.")
            return redirect("welfare:distress_detail", pk=flag.pk)
    return render(request, "welfare/distress_raise.html", {
        "form": form, "contact": contact, "page_title": "I feel uncomfortable or distressed",
    })


def distress_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One distress flag; the manager acknowledges it and records what they did."""
    try:
        flag = selectors.distress_detail(pk)
    except DistressFlag.DoesNotExist as exc:
        raise Http404 from exc
    if not request.user.has_perm("welfare.view_distress_flag", flag):
        raise PermissionDenied
    audit_viewed(actor=request.user, target=flag, what="distress flag")
    can_ack = (flag.status == DistressStatus.RAISED
               and request.user.has_perm("welfare.acknowledge_distress_flag", flag))
    form = DistressAcknowledgeForm(request.POST or None) if can_ack else None
    if request.method == "POST":
        if form is None:
            messages.error(request, "This cannot be acknowledged by you now.")
            return redirect("welfare:distress_detail", pk=pk)
        if form.is_valid():
            try:
                services.distress_flag_acknowledge(
                    flag=flag, actor=request.user, action_taken=form.cleaned_data["action_taken"])
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, "Acknowledged.")
                return redirect("welfare:distress_detail", pk=pk)
    return render(request, "welfare/distress_detail.html", {"flag": flag, "form": form})
