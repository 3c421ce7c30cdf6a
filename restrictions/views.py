"""Thin views: check the permission, call a service or selector, render (7.2, 12, 13)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from audit.services import audit_viewed
from contacts import visibility
from contacts.models import Customer
from core.plumbing import form_page
from core.plumbing import require_perm as _require
from restrictions import forms as f
from restrictions import selectors, services
from restrictions import services_followup as followup
from restrictions.constants import Kind
from restrictions.models import Appeal, FurtherAction, Restriction, TriageItem


def _restriction(pk: int) -> Restriction:
    return get_object_or_404(
        Restriction.objects.select_related("customer", "department", "requested_by",
                                           "decided_by", "point_of_contact"), pk=pk)


def _form_page(request, form, title: str, template: str = "restrictions/form_page.html",
               **context) -> HttpResponse:
    return form_page(request, form, title, template, **context)


def customer_summary(request: HttpRequest, customer_id: int) -> HttpResponse:
    """What staff see of a customer's restrictions and adjustments (12.3)."""
    _require(request, "restrictions.view_banners")
    customer = get_object_or_404(Customer, pk=customer_id)
    banners = selectors.banners_for_customer(customer)
    records = further = None
    if request.user.has_perm("restrictions.view_further_action"):
        records = list(selectors.for_customer(customer))
        further = list(FurtherAction.objects.filter(customer=customer)
                       .select_related("taken_by"))
    return render(request, "restrictions/customer_summary.html", {
        "customer": customer, "banners": banners, "records": records, "further": further,
        "can_request": request.user.has_perm("restrictions.request_for_customer"),
        "can_record_further": request.user.has_perm("restrictions.record_further_action"),
    })


def restriction_create(request: HttpRequest, customer_id: int) -> HttpResponse:
    _require(request, "restrictions.request_for_customer")
    customer = get_object_or_404(Customer, pk=customer_id)
    kind = request.GET.get("kind", Kind.RESTRICTION)
    if kind not in Kind.values:
        kind = Kind.RESTRICTION
    flag = _flag_to_restrict(request, customer)
    initial = selectors.proposal_from_flag(flag) if flag is not None else None
    if flag is not None:
        kind = Kind.RESTRICTION
    form = f.RestrictionRequestForm(request.POST or None, kind=kind, customer=customer,
                                    initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            restriction = services.restriction_create(
                requested_by=request.user, customer=customer, kind=kind,
                proposal=form.proposal(),
                grounds_contacts=form.cleaned_data["grounds_contacts"],
                submit="save_draft" not in request.POST, persistent_flag=flag,
                idempotency_key=form.cleaned_data["idempotency_key"])
        except ValidationError as error:
            f.show_service_errors(form, error)
        else:
            messages.success(request, "Request submitted for a decision"
                             if "save_draft" not in request.POST else "Draft saved")
            return redirect("restrictions:detail", restriction.pk)
    title = ("Request a restriction" if kind == Kind.RESTRICTION
             else "Request a reasonable adjustment")
    return _form_page(request, form, title, customer=customer)


def _flag_to_restrict(request: HttpRequest, customer: Customer):
    """7.2: the persistent-contact flag named by ``?flag=`` that this request starts from
    (the line manager decided to consider restricting), or None."""
    from contacts.models import PersistentContactFlag

    raw = request.GET.get("flag", "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    flag = get_object_or_404(PersistentContactFlag.objects.select_related("case_reference"),
                             pk=int(raw), customer=customer)
    _require(request, "contacts.decide_item", flag)
    return flag


def restriction_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The requester changes a draft or returned request, then submits it."""
    restriction = _restriction(pk)
    _require(request, "restrictions.change_restriction", restriction)
    initial = {name: getattr(restriction, name) for name in services.PROPOSAL_FIELDS}
    initial["grounds_contacts"] = list(restriction.grounds_contacts.values_list("pk", flat=True))
    form = f.RestrictionRequestForm(request.POST or None, initial=initial,
                                    kind=restriction.kind, customer=restriction.customer)
    if request.method == "POST" and form.is_valid():
        try:
            services.restriction_update(
                restriction=restriction, actor=request.user, proposal=form.proposal(),
                grounds_contacts=form.cleaned_data["grounds_contacts"])
            if "save_draft" not in request.POST:
                services.restriction_submit(restriction=restriction, actor=request.user)
        except ValidationError as error:
            f.show_service_errors(form, error)
        else:
            messages.success(request, "Request saved")
            return redirect("restrictions:detail", restriction.pk)
    return _form_page(request, form, "Change the request", customer=restriction.customer)


def restriction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The record's public summary: the banner, terms and dates; actions by permission."""
    restriction = _restriction(pk)
    _require(request, "restrictions.view_restriction", restriction)
    user = request.user
    others = selectors.active_for_customer(restriction.customer)
    return render(request, "restrictions/restriction_detail.html", {
        "restriction": restriction,
        "b": selectors.banner(restriction, others),
        "in_force": restriction.is_active,
        "can": {
            "grounds": user.has_perm("restrictions.view_grounds", restriction),
            "change": user.has_perm("restrictions.change_restriction", restriction)
            and restriction.status in ("draft", "returned"),
            "withdraw": user.has_perm("restrictions.change_restriction", restriction)
            and restriction.can_transition("withdraw"),
            "decide": user.has_perm("restrictions.decide_restriction", restriction)
            and restriction.status == "submitted",
            "review": user.has_perm("restrictions.review_restriction", restriction)
            and restriction.can_transition("renew"),
            "letter": user.has_perm("restrictions.record_letter", restriction)
            and restriction.can_transition("renew"),
            "appeal": user.has_perm("restrictions.record_appeal", restriction)
            and restriction.can_transition("renew") and restriction.kind == Kind.RESTRICTION,
        },
        "appeals": list(restriction.appeals.select_related("decided_by")),
        "transitions": list(restriction.transitions.select_related("actor"))
        if user.has_perm("restrictions.view_grounds", restriction) else None,
    })


def restriction_grounds(request: HttpRequest, pk: int) -> HttpResponse:
    """The grounds and evidence: managers, Heads of Department, Compliance; each view kept."""
    restriction = _restriction(pk)
    _require(request, "restrictions.view_grounds", restriction)
    audit_viewed(actor=request.user, target=restriction, what="grounds")
    return render(request, "restrictions/restriction_grounds.html", {
        "restriction": restriction,
        "contacts": list(restriction.grounds_contacts.select_related("staff")),
        "further": list(restriction.further_actions.select_related("taken_by")),
    })


@require_POST
def restriction_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    restriction = _restriction(pk)
    _require(request, "restrictions.change_restriction", restriction)
    try:
        services.restriction_withdraw(restriction=restriction, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Request withdrawn")
    return redirect("restrictions:detail", restriction.pk)


def restriction_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """7.2: the Head of Department (or acting Head) decides; conflicts shown first (12.2)."""
    restriction = _restriction(pk)
    _require(request, "restrictions.decide_restriction", restriction)
    conflicts = selectors.conflicts_for(restriction)
    initial = {name: getattr(restriction, name) for name in services.TERM_FIELDS}
    form = f.DecisionForm(request.POST or None, initial=initial, restriction=restriction,
                          conflicts=conflicts)
    if request.method == "GET":
        audit_viewed(actor=request.user, target=restriction, what="grounds")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "approve":
                services.restriction_approve(
                    restriction=restriction, actor=request.user, reason=data["reason"],
                    amended=form.amended(restriction),
                    conflicts_acknowledged=data.get("conflicts_acknowledged", False))
            elif data["decision"] == "refuse":
                services.restriction_refuse(restriction=restriction, actor=request.user,
                                            reason=data["reason"])
            else:
                services.restriction_return(restriction=restriction, actor=request.user,
                                            reason=data["reason"])
        except ValidationError as error:
            f.show_service_errors(form, error)
        else:
            messages.success(request, "Decision recorded")
            return redirect("restrictions:detail", restriction.pk)
    return _form_page(request, form, "Decide the request", "restrictions/restriction_decide.html",
                      restriction=restriction, conflicts=conflicts,
                      contacts=list(restriction.grounds_contacts.all()))


def restriction_review(request: HttpRequest, pk: int) -> HttpResponse:
    """12: renew with reasons, lift, or let expire."""
    restriction = _restriction(pk)
    _require(request, "restrictions.review_restriction", restriction)
    form = f.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["outcome"] == "renew":
                services.restriction_renew(
                    restriction=restriction, actor=request.user, reason=data["reason"],
                    review_date=data["review_date"], end_date=data["end_date"])
            elif data["outcome"] == "lift":
                services.restriction_lift(restriction=restriction, actor=request.user,
                                          reason=data["reason"])
            else:
                services.restriction_expire(restriction=restriction, actor=request.user,
                                            reason=data["reason"])
        except ValidationError as error:
            f.show_service_errors(form, error)
        else:
            messages.success(request, "Review recorded")
            return redirect("restrictions:detail", restriction.pk)
    return _form_page(request, form, "Review", restriction=restriction)


def restriction_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter to the customer, printable (print stylesheet)."""
    restriction = _restriction(pk)
    _require(request, "restrictions.record_letter", restriction)
    letter_on = followup.letter_date(restriction)
    return render(request, "restrictions/restriction_letter.html", {
        "restriction": restriction, "b": selectors.banner(restriction, []),
        "letter_date": letter_on,
        "appeal_window": settings.RESTRICTIONS_APPEAL_WINDOW_WORKING_DAYS,
        "appeal_deadline": followup.appeal_deadline(restriction, letter_on=letter_on),
    })


def restriction_letter_record(request: HttpRequest, pk: int) -> HttpResponse:
    restriction = _restriction(pk)
    _require(request, "restrictions.record_letter", restriction)
    form = f.LetterForm(request.POST or None,
                        initial={"sent_on": followup.letter_date(restriction)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["told"] == "sent":
                followup.restriction_letter_record(restriction=restriction, actor=request.user,
                                                   sent_on=data["sent_on"])
            else:
                followup.restriction_inform_exception(
                    restriction=restriction, actor=request.user, reason=data["reason"],
                    check_on=data["check_on"])
        except ValidationError as error:
            f.show_service_errors(form, error)
        else:
            messages.success(request, "Saved")
            return redirect("restrictions:detail", restriction.pk)
    return _form_page(request, form, "Telling the customer", restriction=restriction)


def appeal_create(request: HttpRequest, pk: int) -> HttpResponse:
    restriction = _restriction(pk)
    _require(request, "restrictions.record_appeal", restriction)
    form = f.AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            followup.appeal_record(restriction=restriction, actor=request.user,
                                   **form.cleaned_data)
        except ValidationError as error:
            f.show_service_errors(form, error)
        else:
            messages.success(request, "Appeal recorded")
            return redirect("restrictions:detail", restriction.pk)
    return _form_page(request, form, "Record an appeal", restriction=restriction)


def _appeal(pk: int) -> Appeal:
    return get_object_or_404(Appeal.objects.select_related(
        "restriction__customer", "restriction__department", "restriction__point_of_contact",
        "decided_by"), pk=pk)


def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Someone senior who did not make or request the original decision."""
    appeal = _appeal(pk)
    restriction = appeal.restriction
    _require(request, "restrictions.decide_appeal", restriction)
    services.check_appeal_decider(appeal, request.user)  # PermissionDenied: a 403 page
    initial = {name: getattr(restriction, name) for name in services.TERM_FIELDS}
    form = f.AppealDecisionForm(request.POST or None, initial=initial, restriction=restriction)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            followup.appeal_decide(appeal=appeal, actor=request.user, outcome=data["outcome"],
                                   reason=data["reason"], varied=form.varied(restriction))
        except ValidationError as error:
            f.show_service_errors(form, error)
        else:
            messages.success(request, "Appeal decided")
            return redirect("restrictions:detail", restriction.pk)
    audit_viewed(actor=request.user, target=restriction, what="grounds (appeal)")
    return _form_page(request, form, "Decide the appeal", "restrictions/appeal_decide.html",
                      restriction=restriction, appeal=appeal)


def appeal_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The appeal outcome letter: it names the ombudsman as the next step."""
    appeal = _appeal(pk)
    _require(request, "restrictions.record_letter", appeal.restriction)
    if not appeal.outcome:
        raise PermissionDenied
    return render(request, "restrictions/appeal_letter.html", {
        "appeal": appeal, "restriction": appeal.restriction,
        "b": selectors.banner(appeal.restriction, []),
        "ombudsman": settings.RESTRICTIONS_OMBUDSMAN,
    })


def further_action_create(request: HttpRequest, customer_id: int) -> HttpResponse:
    """13: record a report to the police or legal action."""
    _require(request, "restrictions.record_further_action")
    customer = get_object_or_404(Customer, pk=customer_id)
    form = f.FurtherActionForm(request.POST or None, initial={"taken_by": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            followup.further_action_record(customer=customer, actor=request.user,
                                           **form.cleaned_data)
        except ValidationError as error:
            f.show_service_errors(form, error)
        else:
            messages.success(request, "Further action recorded")
            return redirect("restrictions:customer", customer.pk)
    return _form_page(request, form, "Record further action", customer=customer)


QUEUES = {
    "to_decide": ("Requests to decide", "restrictions.view_decide_queue",
                  selectors.to_decide_for),
    "mine": ("Restriction requests you raised", "restrictions.view_own_requests",
             selectors.requested_by),
    "reviews_due": ("Reviews due", "restrictions.view_own_requests", selectors.reviews_due_for),
}


QUEUE_PAGE_SIZE = 25


def queue(request: HttpRequest, name: str) -> HttpResponse:
    """A list of requests or records, oldest first, 25 a page: a Head of Department with a
    backlog of hundreds sees a page as fast as one with a handful."""
    title, perm, selector = QUEUES[name]
    _require(request, perm)
    page = Paginator(selector(request.user), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "restrictions/restriction_queue.html", {
        "page_title": title, "page": page, "records": list(page.object_list), "queue": name})


def triage_list(request: HttpRequest) -> HttpResponse:
    _require(request, "restrictions.triage")
    return render(request, "restrictions/triage_list.html",
                  {"items": list(selectors.triage_queue())})


def triage_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "restrictions.triage")
    item = get_object_or_404(TriageItem.objects.select_related(
        "contact", "restriction__customer"), pk=pk)
    form = f.TriageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            followup.triage_sign_off(item=item, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            f.show_service_errors(form, error)
        else:
            messages.success(request, "Signed off")
            return redirect(reverse("restrictions:triage"))
    return _form_page(request, form, "Sign off written contact",
                      "restrictions/triage_sign_off.html", item=item,
                      details_visible=visibility.may_see_contact(request.user, item.contact))
