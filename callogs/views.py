"""Terminated-call log pages (8.1, appendix), the review queue and review (8.2), take-over (14.2).

Views are thin: check the permission, call a selector or service, render.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from callogs import selectors, services
from callogs.forms import GIVE, LogReturnForm, LogReviewForm, TerminatedCallLogForm
from callogs.models import TerminatedCallLog
from contacts.models import Contact
from core.plumbing import add_service_errors as _apply_errors

REVIEW_QUEUE_PAGE_SIZE = 25


def _log_or_404(request: HttpRequest, pk: int, perm: str) -> TerminatedCallLog:
    try:
        log = selectors.log_detail(pk)
    except TerminatedCallLog.DoesNotExist as exc:
        raise Http404 from exc
    if not request.user.has_perm(perm, log):
        raise PermissionDenied
    return log


def _show_error(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def my_logs(request: HttpRequest) -> HttpResponse:
    """The staff member's own logs, drafts to complete first (8.1)."""
    if not request.user.has_perm("callogs.view_own_logs"):
        raise PermissionDenied
    logs = list(selectors.logs_for_author(request.user))
    return render(request, "callogs/log_list.html", {"logs": logs})


@require_POST
def log_start(request: HttpRequest, contact_pk: int) -> HttpResponse:
    """Open (creating if need be) the log of the user's own terminated contact (8.1)."""
    contact = get_object_or_404(Contact.objects.select_related(
        "staff", "ended_by", "customer", "case_reference"), pk=contact_pk)
    try:  # the service refuses anyone but the one who ended the contact (8.1)
        log = services.calllog_create_draft(contact=contact, actor=request.user)
    except ValidationError as error:
        _show_error(request, error)
        return redirect("callogs:my_logs")
    return redirect("callogs:log_edit", pk=log.pk)


def log_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The log with the contact's recorded steps and any review."""
    log = _log_or_404(request, pk, "callogs.view_log")
    review = getattr(log, "review", None) if not log.is_editable else None
    return render(request, "callogs/log_detail.html", {
        "log": log, "review": review,
        "steps": selectors.steps_for(log.contact),
        "behaviour_history": selectors.behaviour_history(log.contact),
        "can_edit": request.user.has_perm("callogs.change_log", log),
        "can_review": request.user.has_perm("callogs.review_log", log)
        and log.can_transition_to("reviewed"),
        "can_file": request.user.has_perm("callogs.place_in_case_file", log)
        and bool(log.case_reference) and not log.is_editable and not log.placed_in_case_file_at,
        "can_return": request.user.has_perm("callogs.review_log", log)
        and log.can_transition_to("returned") and not log.placed_in_case_file_at,
    })


def log_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Its author completes the appendix fields, prefilled from the contact."""
    log = _log_or_404(request, pk, "callogs.view_log")
    if not request.user.has_perm("callogs.change_log", log):
        messages.error(request, "This log has been given to your line manager and is now "
                                "fixed." if log.author_id == request.user.pk else
                                "Only the author can change this log.")
        return redirect("callogs:log_detail", pk=log.pk)
    form = TerminatedCallLogForm(request.POST or None,
                                 initial=TerminatedCallLogForm.initial_for(log))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.calllog_update(
                log=log, actor=request.user, caller_name=data["caller_name"],
                case_reference=data["case_reference"], call_at=data["call_at"],
                reason=data["reason"], staff_name=data["staff_name"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            if GIVE in request.POST:
                # Saved, so nothing typed is lost if giving it is refused (the message says
                # why, on the log's page, where it can be given once put right).
                _give(request, log)
            else:
                messages.success(request,
                                 "Draft saved. Check it, then give it to your line manager.")
            return redirect("callogs:log_detail", pk=log.pk)
    return render(request, "callogs/log_edit.html", {
        "form": form, "log": log, "page_title": "Complete the terminated-call log",
        "steps": selectors.steps_for(log.contact),
        "behaviour_history": selectors.behaviour_history(log.contact),
    })


@require_POST
def log_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the log to the line manager (8.1)."""
    log = _log_or_404(request, pk, "callogs.view_log")
    _give(request, log)
    return redirect("callogs:log_detail", pk=log.pk)


def _give(request: HttpRequest, log) -> None:
    """Give the log to the line manager (8.1) and say to whom, or why not."""
    if not request.user.has_perm("callogs.submit_log", log):
        messages.error(request, "Only the author can give a draft log to their line manager.")
        return
    try:
        submitted = services.calllog_submit(log=log, actor=request.user)
    except ValidationError as error:
        _show_error(request, error)
    else:
        given_to = submitted.given_to
        messages.success(request, "The log has been given to your line manager."
                         if given_to.pk == log.author.line_manager_id else
                         f"Your line manager is away, so the log has been given to {given_to}.")


def log_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable copy for the case file (8.1), styled by a print stylesheet."""
    log = _log_or_404(request, pk, "callogs.view_log")
    return render(request, "callogs/log_print.html", {"log": log})


@require_POST
def log_place_in_case_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the printed copy is in the case file, and by whom (8.1)."""
    log = _log_or_404(request, pk, "callogs.place_in_case_file")
    try:
        services.calllog_place_in_case_file(log=log, actor=request.user)
    except ValidationError as error:
        _show_error(request, error)
    else:
        messages.success(request, f"Recorded: a copy is in the case file {log.case_reference}.")
    return redirect("callogs:log_detail", pk=log.pk)


def review_queue(request: HttpRequest) -> HttpResponse:
    """Logs from the manager's own team waiting to be discussed (8.2)."""
    if not request.user.has_perm("callogs.view_review_queue"):
        raise PermissionDenied
    page = Paginator(selectors.review_queue(request.user), REVIEW_QUEUE_PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "callogs/review_queue.html", {"page": page})


def log_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The line manager records the discussion of the log (8.2)."""
    log = _log_or_404(request, pk, "callogs.review_log")
    if not log.can_transition_to("reviewed"):
        messages.error(request, "This log is not waiting for a review.")
        return redirect("callogs:log_detail", pk=log.pk)
    form = LogReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.calllog_review(
                log=log, actor=request.user, discussed_on=data["discussed_on"],
                staff_clear_about_circumstances=data["staff_clear_about_circumstances"],
                effect_on_staff=data["effect_on_staff"],
                advice_and_support=data["advice_and_support"],
                restriction_request_intended="restriction" in data["next_steps"],
                welfare_follow_up_requested="welfare" in data["next_steps"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Review recorded.")
            return redirect("callogs:review_queue")
    return render(request, "callogs/log_review.html", {
        "form": form, "log": log, "page_title": "Review a terminated-call log",
        "steps": selectors.steps_for(log.contact),
        "behaviour_history": selectors.behaviour_history(log.contact),
    })


def log_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue 17: the reviewing manager returns the log to its author to amend."""
    log = _log_or_404(request, pk, "callogs.review_log")
    if not log.can_transition_to("returned"):
        messages.error(request, "This log is not waiting for a review, so it cannot be "
                                "returned.")
        return redirect("callogs:log_detail", pk=log.pk)
    form = LogReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.calllog_return(log=log, actor=request.user,
                                    reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"The log has been returned to {log.author.display_name} "
                                      "to amend.")
            return redirect("callogs:review_queue")
    return render(request, "callogs/log_return.html", {
        "form": form, "log": log, "page_title": "Return the log to its author"})


@require_POST
def contact_take_over(request: HttpRequest, contact_pk: int) -> HttpResponse:
    """A manager above the staff member takes control of a live contact (14.2)."""
    contact = get_object_or_404(Contact.objects.select_related("staff"), pk=contact_pk)
    if not request.user.has_perm("callogs.take_over_contact", contact):
        raise PermissionDenied
    try:
        services.contact_take_over(contact=contact, actor=request.user)
    except ValidationError as error:
        _show_error(request, error)
    else:
        messages.success(request, "You have taken control of this contact.")
    # The contact screen belongs to the contacts app: go back where the button was. A plain
    # redirect: ``redirect("0")`` would try to reverse "0" as a view name (a 500).
    return HttpResponseRedirect(_back_to(request))


def _back_to(request: HttpRequest) -> str:
    """``next`` or the referring page if it is on this site, else home."""
    target = request.POST.get("next") or request.META.get("HTTP_REFERER", "")
    if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("core:home")
