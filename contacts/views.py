"""Thin views: parse the request, check the permission, call a selector or a service."""


from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from contacts import forms, selectors, services, visibility
from contacts.constants import (
    BEHAVIOUR_DEFINITIONS,
    ENDING_STEPS,
    LIVE_CHANNELS,
    OFFENSIVE_SEQUENCE,
    UNACCEPTABLE,
    WRITTEN_CHANNELS,
    Behaviour,
    FlagStatus,
    HandlingStepKind,
    ReviewStatus,
)
from contacts.customer_services import may_keep_customers
from contacts.merge_services import may_merge
from contacts.models import (
    Callback,
    Contact,
    Customer,
    PersistentContactFlag,
    WrittenCommentReview,
)
from core.plumbing import add_service_errors as _add_errors
from core.plumbing import attempt as _attempt
from core.plumbing import form_page
from core.plumbing import require_perm as _check


def _data(request: HttpRequest):
    """The POST data to bind a form to, even when empty (an empty POST is still a submit)."""
    return request.POST if request.method == "POST" else None


def _form_page(request, form, title: str, *, back: str = "", intro: str = "",
               template: str = "contacts/form_page.html", **extra) -> HttpResponse:
    return form_page(request, form, title, template, back=back, intro=intro, **extra)


def _contact(request: HttpRequest, pk: int, perm: str = "contacts.change_contact") -> Contact:
    contact = get_object_or_404(Contact.objects.select_related("customer", "staff"), pk=pk)
    _check(request, perm, contact)
    return contact


# Customer lookup and customer page ------------------------------------------------------


def lookup(request: HttpRequest) -> HttpResponse:
    """The caseworker's home-from-home: one box for name, phone, email or case reference."""
    _check(request, "contacts.lookup_customers")
    form = forms.LookupForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        result = selectors.customer_lookup(form.cleaned_data["q"])
    context = {"form": form, "result": result,
               "customer_url": reverse("contacts:customer_detail", args=[0])[:-2],
               "can_add_customer": may_keep_customers(request.user)}
    template = ("contacts/_lookup_results.html" if getattr(request, "htmx", False)
                else "contacts/customer_lookup.html")
    response = render(request, template, context)
    # Issue 19, finding 9: a link followed from the results must not carry the search terms
    # (this page's URL) in its Referer header to the next page's access log.
    response["Referrer-Policy"] = "no-referrer"
    return response


def _undoable_merge(request: HttpRequest, customer: Customer):
    """The merge just made into this record (``?merged=``), offered for undo to its maker."""
    from contacts.models import CustomerMerge

    merged = request.GET.get("merged", "")
    if not merged.isdigit():
        return None
    return CustomerMerge.objects.filter(pk=int(merged), survivor=customer,
                                        merged_by=request.user, undone_at__isnull=True).first()


def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """12.3: banners first, then the customer, their cases, actions and contact history."""
    _check(request, "contacts.view_customer")
    try:
        customer = selectors.customer_for_page(pk)
    except Customer.DoesNotExist as missing:
        raise Http404 from missing
    if customer.merged_into_id:  # a tombstone (issue 16): the record it was merged into
        messages.info(request, f"Customer {customer.reference} was merged into this record")
        return redirect("contacts:customer_detail", pk=customer.merged_into_id)
    contacts = selectors.customer_contacts(customer, request.user)
    page = Paginator(contacts, 20).get_page(request.GET.get("page"))
    return render(request, "contacts/customer_detail.html", {
        "customer": customer, "page": page, "can_edit_customer": may_keep_customers(request.user),
        "can_merge": may_merge(request.user), "undo_merge": _undoable_merge(request, customer),
        "contact_url": reverse("contacts:contact_detail", args=[0])[:-2],
    })


# Logging and ending a contact -----------------------------------------------------------


def contact_log(request: HttpRequest, customer_pk: int | None = None) -> HttpResponse:
    """Start a contact for a customer, or for an unknown caller by the name they gave."""
    _check(request, "contacts.log_contact")
    customer = get_object_or_404(Customer, pk=customer_pk) if customer_pk else None
    form = forms.ContactLogForm(_data(request), known_customer=customer is not None)
    # 12.3: a channel the customer's restriction does not allow gets a warning and what to do
    # instead; the member of staff may still log it after reading it (a warning, not a
    # block). The service refuses until the warning for this channel is acknowledged.
    shown: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        acknowledged = request.POST.get("warning_acknowledged") == data["channel"]
        try:
            contact = services.contact_log(
                idempotency_key=form.cleaned_data["idempotency_key"],
                actor=request.user, customer=customer, caller_name=data.get("caller_name", ""),
                case_reference=data["case_reference"], channel=data["channel"],
                direction=data["direction"], started_at=data["started_at"],
                summary=data["summary"], warnings_acknowledged=acknowledged)
        except services.ChannelWarningNotAcknowledgedError as warned:
            shown, contact = warned.warnings, None
        except ValidationError as error:
            contact = _add_errors(form, error)
        if contact:
            # Issue 24: a telephone call or a visit opens in live-call mode (7.3-7.5).
            live = contact.channel in LIVE_CHANNELS
            return redirect("contacts:contact_live" if live else "contacts:contact_detail",
                            pk=contact.pk)
    title = f"Log a contact with {customer}" if customer else "Log a contact with an unknown caller"
    back = (reverse("contacts:customer_detail", args=[customer.pk]) if customer
            else reverse("contacts:lookup"))
    if shown:
        form.acknowledge_warning(request.POST["channel"])
    return _form_page(request, form, title, back=back, template="contacts/contact_log.html",
                      customer=customer, channel_warnings=shown)


def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The in-contact screen: banners, behaviour and its history, the guided steps, actions."""
    try:
        screen = selectors.contact_for_screen(pk)
    except Contact.DoesNotExist as missing:
        raise Http404 from missing
    contact, steps = screen.contact, screen.steps
    visibility.require_contact(request.user, contact)
    recorded = {s.step for s in steps}
    complaint_owed = services.complaint_step_needed(steps)
    offensive = [(HandlingStepKind(s), s in recorded) for s in OFFENSIVE_SEQUENCE
                 if s != HandlingStepKind.TOLD_COMPLAINT or complaint_owed or s in recorded]
    next_step = services.next_offensive_step(contact, steps)
    behaviour = contact.behaviour
    return render(request, "contacts/contact_detail.html", {
        "contact": contact, "steps": steps, "changes": screen.changes,
        "callbacks": screen.callbacks, "escalations": screen.escalations,
        "offensive_steps": offensive, "next_step": next_step,
        "next_step_label": HandlingStepKind(next_step).label if next_step else "",
        "behaviour_label": Behaviour(behaviour).label if behaviour else "",
        "behaviour_definition": BEHAVIOUR_DEFINITIONS.get(behaviour, ""),
        "is_unacceptable": behaviour in UNACCEPTABLE,
        "is_difficult": behaviour == Behaviour.DIFFICULT,
        "is_offensive": behaviour == Behaviour.OFFENSIVE,
        "is_abusive": behaviour == Behaviour.ABUSIVE,
        "is_written": contact.channel in WRITTEN_CHANNELS,
        "is_live_channel": contact.channel in LIVE_CHANNELS,
        "told_will_consult": HandlingStepKind.TOLD_WILL_CONSULT in recorded,
        # 7.4.3: warned, not (yet) owed the complaint route: it may still be given.
        "complaint_optional": (HandlingStepKind.WARNED_WILL_END in recorded
                               and HandlingStepKind.TOLD_COMPLAINT not in recorded
                               and not complaint_owed),
        "equality_prompt": services.needs_equality_prompt(contact.customer),
        "can_correct": request.user.has_perm("contacts.correct_contact", contact),
        "can_reclassify": bool(behaviour) and behaviour != Behaviour.DIFFICULT
        and request.user.has_perm("contacts.reclassify_down", contact),
    })


def contact_classify(request: HttpRequest, pk: int) -> HttpResponse:
    """5.2-5.5: classify (or move up) the behaviour; 6.1 prompt where it applies."""
    contact = _contact(request, pk)
    prompt = services.needs_equality_prompt(contact.customer)
    form = forms.ClassifyForm(_data(request), equality_prompt=prompt,
                              initial={"behaviour": contact.behaviour or None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = _attempt(form, lambda: services.contact_classify(
            contact=contact, actor=request.user, behaviour=data["behaviour"],
            equality_considered=data.get("equality_considered", False),
            equality_note=data.get("equality_note", "")))
        if change:
            messages.success(request, f"Behaviour recorded as {change.get_behaviour_display()}")
            return redirect("contacts:contact_detail", pk=contact.pk)
    return _form_page(request, form, "Classify the customer's behaviour",
                      back=reverse("contacts:contact_detail", args=[pk]),
                      intro="A classification can only move up the scale during a contact.")


def contact_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue 17: the handler (within the edit window) or their line manager corrects it."""
    contact = _contact(request, pk, "contacts.correct_contact")
    form = forms.ContactCorrectForm(_data(request),
                                    initial=forms.ContactCorrectForm.initial_for(contact))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(form, lambda: services.contact_correct(
            contact=contact, actor=request.user, reason=data["reason"],
            summary=data["summary"], case_reference=data["case_reference"],
            channel=data["channel"]))
        if done:
            messages.success(request, "Correction saved")
            return redirect("contacts:contact_detail", pk=contact.pk)
    ends = services.correction_window_ends(contact)
    return _form_page(request, form, "Correct the contact",
                      back=reverse("contacts:contact_detail", args=[pk]),
                      intro="Correct a mistake in what was recorded. The change and your "
                            "reason are kept with the contact's history." + (
                                f" You can correct it yourself until "
                                f"{timezone.localtime(ends):%-d %B %Y, %H:%M}; after that, "
                                "your line manager can." if ends else ""))


def contact_reclassify(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue 17: a manager above the member of staff moves the classification down."""
    contact = _contact(request, pk, "contacts.reclassify_down")
    form = forms.ReclassifyDownForm(_data(request), current=contact.behaviour)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = _attempt(form, lambda: services.contact_reclassify_down(
            contact=contact, actor=request.user, behaviour=data["behaviour"],
            reason=data["reason"]))
        if change:
            messages.success(request, f"Classification moved down to "
                                      f"{change.get_behaviour_display()}")
            return redirect("contacts:contact_detail", pk=contact.pk)
    return _form_page(request, form, "Move the classification down",
                      back=reverse("contacts:contact_detail", args=[pk]),
                      intro="If the behaviour was classified too high, move it down and say "
                            "why. A contact ended because of its behaviour keeps the class "
                            "that allowed ending it.")


def contact_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Record one guided step of paragraph 7 (the 7.4 steps in order)."""
    contact = _contact(request, pk)
    if step not in HandlingStepKind.values:
        raise Http404
    kind = HandlingStepKind(step)
    ending = kind in ENDING_STEPS
    form = forms.StepForm(_data(request), ending=ending,
                          warning=kind == HandlingStepKind.WARNED_WILL_END,
                          button="End the contact" if ending else "Record this step")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(form, lambda: services.handling_step_record(
            contact=contact, actor=request.user, step=step, note=data["note"],
            explained=data.get("explained"), customer_unhappy=data.get("customer_unhappy")))
        if done:
            messages.success(request, f"Recorded: {kind.label}")
            return redirect("contacts:contact_detail", pk=contact.pk)
    return _form_page(request, form, kind.label,
                      back=reverse("contacts:contact_detail", args=[pk]))


def contact_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End the contact; if ended because of behaviour it is recorded as terminated (8.1)."""
    contact = _contact(request, pk)
    form = forms.EndContactForm(_data(request), initial={"summary": contact.summary})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(form, lambda: services.contact_end(
            contact=contact, actor=request.user, ending=data["ending"],
            outcome=data["outcome"], note=data["note"], explained=data["explained"],
            summary=data["summary"]))
        if done:
            messages.success(request, "Contact ended")
            return redirect("contacts:contact_detail", pk=contact.pk)
    return _form_page(request, form, "End the contact",
                      back=reverse("contacts:contact_detail", args=[pk]))


@require_POST
def contact_no_new_information(request: HttpRequest, pk: int) -> HttpResponse:
    """7.2: mark that the customer added no new information."""
    contact = _contact(request, pk)
    try:
        flag = services.contact_mark_no_new_information(contact=contact, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Marked as no new information" +
                         (": your line manager has been asked to consider persistent contact"
                          if flag else ""))
    return redirect("contacts:contact_detail", pk=contact.pk)


def persistent_suggest(request: HttpRequest, pk: int) -> HttpResponse:
    """7.2: suggest to the line manager that the customer's contact is persistent."""
    contact = _contact(request, pk)
    form = forms.PersistentSuggestionForm(_data(request))
    if request.method == "POST" and form.is_valid():
        flag = _attempt(form, lambda: services.persistent_suggest(
            idempotency_key=form.cleaned_data["idempotency_key"],
            contact=contact, actor=request.user, reason=form.cleaned_data["reason"]))
        if flag:
            messages.success(request, "Sent to your line manager: they will decide whether "
                                      "the contact is persistent (7.2)")
            return redirect("contacts:contact_detail", pk=contact.pk)
    return _form_page(request, form, "Suggest the contact is persistent",
                      back=reverse("contacts:contact_detail", args=[pk]),
                      intro="7.2: if the customer keeps contacting us about the same or a "
                            "similar issue and we cannot add to what we have already told "
                            "them, consult your line manager. They decide whether the "
                            "behaviour is persistent and whether to consider restricting it.")


# Callbacks (7.3, 9.1) -------------------------------------------------------------------


def callback_arrange(request: HttpRequest, pk: int) -> HttpResponse:
    """7.3: arrange a callback within 24 hours by yourself or a colleague."""
    contact = _contact(request, pk)
    form = forms.CallbackForm(_data(request), initial={"assigned_to": request.user.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(form, lambda: services.callback_arrange(
            idempotency_key=form.cleaned_data["idempotency_key"],
            contact=contact, actor=request.user, assigned_to=data["assigned_to"],
            due_at=data["due_at"], late_reason=data["late_reason"]))
        if done:
            messages.success(request, "Callback arranged")
            return redirect("contacts:contact_detail", pk=contact.pk)
    return _form_page(request, form, "Arrange a callback",
                      back=reverse("contacts:contact_detail", args=[pk]),
                      intro="7.3: arrange a convenient time to call the customer back within "
                            "the next 24 hours.")


def callback_done(request: HttpRequest, pk: int) -> HttpResponse:
    """The callback was made; this completes its reminder."""
    callback = get_object_or_404(Callback.objects.select_related("assigned_to", "contact"),
                                 pk=pk)
    _check(request, "contacts.complete_callback", callback)
    form = forms.NoteForm(_data(request), button="Mark callback as done")
    if request.method == "POST" and form.is_valid():
        done = _attempt(form, lambda: services.callback_mark_done(
            callback=callback, actor=request.user, note=form.cleaned_data["note"]))
        if done:
            messages.success(request, "Callback marked as done")
            return redirect("contacts:queue")
    return _form_page(request, form, "Mark the callback as done",
                      back=reverse("contacts:queue"))


# Escalation (9.1), withheld name (10.1), written comments (7.6) ---------------------------


def escalation_record(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    form = forms.EscalationForm(_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(form, lambda: services.escalation_record(
            idempotency_key=form.cleaned_data["idempotency_key"],
            contact=contact, actor=request.user, outcome=data["outcome"],
            why_escalation_helps=data["why_escalation_helps"],
            discussed_with=data["discussed_with"], senior_advice=data["senior_advice"],
            escalated_to=data["escalated_to"],
            escalated_to_position=data["escalated_to_position"], reason=data["reason"],
            callback_by=data["callback_by"], callback_at=data["callback_at"],
            time_agreed_with_them=data["time_agreed_with_them"],
            calendar_checked=data["calendar_checked"]))
        if done:
            messages.success(request, "Escalation request recorded")
            return redirect("contacts:contact_detail", pk=contact.pk)
    return _form_page(request, form, "The customer asked for someone more senior",
                      back=reverse("contacts:contact_detail", args=[pk]),
                      intro="9.1: customers are not escalated simply because they ask, "
                            "unless the Case Review and Service Complaint Policy says so.")


def name_given_record(request: HttpRequest, pk: int) -> HttpResponse:
    """10.1: the name and department given on a live call or visit (never "no name")."""
    contact = _contact(request, pk)
    form = forms.NameGivenRecordForm(_data(request), initial={
        "department": services.name_given_default_department(request.user)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(form, lambda: services.name_given_record(
            idempotency_key=data["idempotency_key"], contact=contact, actor=request.user,
            given=data["given"], department=data["department"], reason=data["reason"],
            customer_unhappy=data["customer_unhappy"],
            manager_name_given=data["manager_name_given"],
            complaint_procedure_given=data["complaint_procedure_given"]))
        if done:
            messages.success(request, "Recorded the name you gave" + (
                "; your line manager has been told" if done.given == "first_name" else ""))
            return redirect("contacts:contact_detail", pk=contact.pk)
    return _form_page(request, form, "The name you gave",
                      back=reverse("contacts:contact_detail", args=[pk]),
                      intro="10.1: normally give your full name and department. If you are "
                            "concerned, for good reason, you may give only your first name "
                            "and department; never refuse to give any name.")


def written_review_raise(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _contact(request, pk)
    form = forms.WrittenReviewForm(_data(request))
    if request.method == "POST" and form.is_valid():
        done = _attempt(form, lambda: services.written_review_raise(
            idempotency_key=form.cleaned_data["idempotency_key"],
            contact=contact, actor=request.user, comments=form.cleaned_data["comments"]))
        if done:
            messages.success(request, "Sent to your line manager to agree the reply")
            return redirect("contacts:contact_detail", pk=contact.pk)
    return _form_page(request, form, "Unacceptable comments in writing",
                      back=reverse("contacts:contact_detail", args=[pk]),
                      intro="7.6: draw them to your line manager's attention and discuss the "
                            "best, most suitable reply.")


def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """7.6: the line manager records the agreed reply."""
    review = get_object_or_404(
        WrittenCommentReview.objects.select_related("contact", "contact__staff",
                                                    "contact__customer", "raised_by"), pk=pk)
    _check(request, "contacts.decide_item", review)
    form = forms.AgreedReplyForm(_data(request))
    if request.method == "POST" and form.is_valid():
        done = _attempt(form, lambda: services.written_review_agree(
            review=review, actor=request.user, agreed_reply=form.cleaned_data["agreed_reply"]))
        if done:
            messages.success(request, "Agreed reply recorded")
            return redirect("contacts:queue")
    return _form_page(request, form, "Agree a reply to written comments",
                      back=reverse("contacts:queue"),
                      template="contacts/review_detail.html", review=review,
                      is_open=review.status == ReviewStatus.OPEN)


def flag_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """7.2: the line manager considers a persistent-contact flag."""
    flag = get_object_or_404(
        PersistentContactFlag.objects.select_related("customer", "case_reference", "staff"),
        pk=pk)
    _check(request, "contacts.decide_item", flag)
    form = forms.FlagDecisionForm(_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(form, lambda: services.persistent_flag_decide(
            flag=flag, actor=request.user, decision=data["decision"], reason=data["reason"]))
        if done and done.status == FlagStatus.RESTRICTION:
            # 7.2: "consider restricting": the request form, prefilled from the flag.
            messages.success(request, "Decision recorded: now propose the restriction")
            return redirect(reverse("restrictions:create", args=[flag.customer_id])
                            + f"?flag={flag.pk}")
        if done:
            messages.success(request, "Decision recorded")
            return redirect("contacts:queue")
    contacts = visibility.with_visibility(flag.contacts.all(), request.user).select_related(
        "staff").order_by("-started_at")
    suggestions = flag.suggestions.select_related("suggested_by").order_by("suggested_at")
    return _form_page(request, form, "Possible persistent contact",
                      back=reverse("contacts:queue"), template="contacts/flag_detail.html",
                      flag=flag, flag_contacts=contacts, suggestions=suggestions,
                      is_open=flag.status == FlagStatus.OPEN)


def queue(request: HttpRequest) -> HttpResponse:
    """Your callbacks, your open contacts and, for a line manager, their own team's items."""
    _check(request, "contacts.view_queue")
    user = request.user
    team = Q(manager=user) | Q(staff__line_manager=user)
    return render(request, "contacts/queue.html", {
        "callbacks": list(selectors.callbacks_for(user)),
        "open_contacts": list(Contact.objects.filter(staff=user, ended_at__isnull=True)
                              .select_related("customer").order_by("-started_at")[:50]),
        "flags": list(PersistentContactFlag.objects.filter(team, status=FlagStatus.OPEN)
                      .select_related("customer", "case_reference", "staff")),
        "reviews": list(WrittenCommentReview.objects.filter(
            Q(manager=user) | Q(contact__staff__line_manager=user), status=ReviewStatus.OPEN)
            .select_related("contact", "contact__customer", "raised_by")),
        "names": user.has_perm("contacts.view_customer"),
    })
