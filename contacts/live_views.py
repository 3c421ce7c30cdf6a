"""Live-call mode (issue 24): the steps of 7.3-7.5 on one screen for a telephone call or a
visit, each recorded in place, with the words to say and the time since the call started.

Every write goes through ``contacts.services`` (classification, the guided steps and their
order, ending): these views only bind the forms and choose what to answer. A request from
htmx (``HX-Request``) gets the steps panel back; a plain form post (no JavaScript) is
redirected back to the live screen, so both record the same steps. Ending the call goes
straight to its prefilled terminated-call log (8.1).
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from contacts import forms, selectors, services, visibility
from contacts.constants import (
    BEHAVIOUR_DEFINITIONS,
    ENDING_STEPS,
    LIVE_CHANNELS,
    OFFENSIVE_SEQUENCE,
    Behaviour,
    HandlingStepKind,
    WordsStep,
)
from contacts.models import Contact
from core import extensions
from core.plumbing import add_service_errors as _refused

# The keyboard shortcuts of the live screen live in static/js/live-call.js (C the
# classification, N the next step, E ending the call): each moves focus, only while focus is
# not in a text field, and is shown in the hint text and announced with aria-keyshortcuts.


@dataclass
class LiveStep:
    """One step the classification asks for now, with its form and words to say."""

    key: str
    label: str
    form: object
    words: object  # a SuggestedWords row, or None
    is_next: bool = False
    is_ending: bool = False


def _screen(request: HttpRequest, pk: int):
    try:
        screen = selectors.contact_for_screen(pk)
    except Contact.DoesNotExist as missing:
        raise Http404 from missing
    visibility.require_contact(request.user, screen.contact)
    return screen


def _step_form(contact: Contact, step: str, data=None):
    kind = HandlingStepKind(step)
    ending = kind in ENDING_STEPS
    form = forms.StepForm(
        data, prefix=step, ending=ending, warning=kind == HandlingStepKind.WARNED_WILL_END,
        button=("End the call and complete the log" if ending else "Record this step"),
        submit_id=f"live-{step}-submit")
    url = reverse("contacts:contact_live_step", args=[contact.pk, step])
    form.helper.form_action = url
    form.helper.form_id = f"live-{step}-form"
    form.helper.attrs = {"hx-post": url, "hx-target": "#live-panel", "hx-swap": "outerHTML"}
    return form


def _classify_form(contact: Contact, data=None):
    form = forms.ClassifyForm(data, equality_prompt=services.needs_equality_prompt(
        contact.customer), initial={"behaviour": contact.behaviour or None},
        submit_id="live-classify-submit")
    url = reverse("contacts:contact_live_classify", args=[contact.pk])
    form.helper.form_action = url
    form.helper.form_id = "live-classify-form"
    form.helper.attrs = {"hx-post": url, "hx-target": "#live-panel", "hx-swap": "outerHTML"}
    return form


def _steps_now(contact: Contact, steps, words: dict, bound: dict) -> list[LiveStep]:
    """The steps the classification asks for now, in the order they are taken (7.3-7.5.1).
    Which ones and in what order is the services' rule (``next_offensive_step``)."""
    recorded = {s.step for s in steps}
    behaviour = contact.behaviour
    keys: list[str] = []
    next_key = ""
    if behaviour == Behaviour.DIFFICULT and HandlingStepKind.TOLD_WILL_CONSULT not in recorded:
        keys.append(HandlingStepKind.TOLD_WILL_CONSULT)  # 7.3
    if behaviour == Behaviour.OFFENSIVE:
        next_key = services.next_offensive_step(contact, steps) or ""
        # 7.4.3: the complaint route may be given once warned, though owed only if unhappy.
        optional = (HandlingStepKind.WARNED_WILL_END in recorded
                    and HandlingStepKind.TOLD_COMPLAINT not in recorded
                    and next_key != HandlingStepKind.TOLD_COMPLAINT)
        if next_key:
            keys.append(next_key)
        if optional:
            keys.insert(0, HandlingStepKind.TOLD_COMPLAINT)
    if behaviour == Behaviour.ABUSIVE:
        next_key = HandlingStepKind.ENDED_ABUSIVE  # 7.5.1: at once
        keys.append(next_key)
    if behaviour == Behaviour.DIFFICULT and keys:
        next_key = keys[0]
    return [LiveStep(key=key, label=HandlingStepKind(key).label,
                     form=bound.get(key) or _step_form(contact, key), words=words.get(key),
                     is_next=key == next_key, is_ending=key in ENDING_STEPS)
            for key in keys]


def _context(request: HttpRequest, screen, *, bound: dict | None = None,
             classify_form=None, error_form=None, message: str = "") -> dict:
    contact, steps = screen.contact, screen.steps
    bound = bound or {}
    words = selectors.suggested_words()
    recorded = {s.step for s in steps}
    complaint_owed = services.complaint_step_needed(steps)
    behaviour = contact.behaviour
    sequence = [(HandlingStepKind(s), s in recorded) for s in OFFENSIVE_SEQUENCE
                if s != HandlingStepKind.TOLD_COMPLAINT or complaint_owed or s in recorded]
    live_steps = _steps_now(contact, steps, words, bound) if contact.is_live else []
    started = contact.started_at
    return {
        "contact": contact, "steps": steps, "live_steps": live_steps,
        "next_step": next((s for s in live_steps if s.is_next), None),
        "classify_form": (classify_form or _classify_form(contact)) if contact.is_live else None,
        "error_form": error_form, "status_message": message,
        "offensive_sequence": sequence if behaviour == Behaviour.OFFENSIVE else [],
        "behaviour_label": Behaviour(behaviour).label if behaviour else "",
        "behaviour_definition": BEHAVIOUR_DEFINITIONS.get(behaviour, ""),
        "is_difficult": behaviour == Behaviour.DIFFICULT,
        "is_persistent": behaviour == Behaviour.PERSISTENT,
        "is_offensive": behaviour == Behaviour.OFFENSIVE,
        "is_abusive": behaviour == Behaviour.ABUSIVE,
        "callback_words": words.get(WordsStep.ARRANGE_CALLBACK),
        "started_at": started,
        "elapsed_minutes": max(0, int((timezone.now() - started).total_seconds() // 60)),
        "log_url": _log_url(contact) if contact.terminated and not contact.is_live else None,
    }


def _answer(request: HttpRequest, screen, **kwargs) -> HttpResponse:
    context = _context(request, screen, **kwargs)
    if request.htmx:
        return render(request, "contacts/_live_panel.html", context)
    return render(request, "contacts/contact_live.html", context)


def _done(request: HttpRequest, contact: Contact, message: str) -> HttpResponse:
    """After a step was recorded: the panel again (htmx), or back to the live screen."""
    if request.htmx:
        return _answer(request, selectors.contact_for_screen(contact.pk), message=message)
    messages.success(request, message)
    return redirect("contacts:contact_live", pk=contact.pk)


def _log_url(contact: Contact) -> str | None:
    """The terminated call's log to complete (8.1), from the app that keeps the logs."""
    return next((u for provider in extensions.terminated_log_urls if (u := provider(contact))),
                None)


def _after_end(request: HttpRequest, contact: Contact) -> HttpResponse:
    """8.1: the call was ended because of behaviour: straight to its prefilled log."""
    url = _log_url(contact) or reverse("contacts:contact_detail", args=[contact.pk])
    messages.success(request, "Call ended. Check the terminated-call log, then give it to "
                              "your line manager (8.1).")
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def contact_live(request: HttpRequest, pk: int) -> HttpResponse:
    """The live-call screen of a telephone call or a visit (7.3-7.5, 8.1)."""
    screen = _screen(request, pk)
    if screen.contact.channel not in LIVE_CHANNELS:
        messages.info(request, "Live-call mode is for telephone calls and visits.")
        return redirect("contacts:contact_detail", pk=pk)
    return _answer(request, screen)


@require_POST
def contact_live_classify(request: HttpRequest, pk: int) -> HttpResponse:
    """5.2-5.5 in place: classify, or move up the scale; the 6.1 prompt where it applies."""
    screen = _screen(request, pk)
    contact = screen.contact
    form = _classify_form(contact, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            change = services.contact_classify(
                contact=contact, actor=request.user, behaviour=data["behaviour"],
                equality_considered=data.get("equality_considered", False),
                equality_note=data.get("equality_note", ""))
        except ValidationError as error:
            _refused(form, error)
        else:
            return _done(request, contact,
                         f"Behaviour recorded as {change.get_behaviour_display()}")
    return _answer(request, screen, classify_form=form, error_form=form)


@require_POST
def contact_live_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Record one step of 7.3-7.5.1 in place; an ending step ends the call (8.1)."""
    screen = _screen(request, pk)
    contact = screen.contact
    if step not in HandlingStepKind.values:
        raise Http404
    form = _step_form(contact, step, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.handling_step_record(
                contact=contact, actor=request.user, step=step, note=data["note"],
                explained=data.get("explained"), customer_unhappy=data.get("customer_unhappy"))
        except ValidationError as error:
            _refused(form, error)
        else:
            if step in ENDING_STEPS:
                contact.refresh_from_db()
                return _after_end(request, contact)
            return _done(request, contact, f"Recorded: {HandlingStepKind(step).label}")
    return _answer(request, screen, bound={step: form}, error_form=form)
