"""Communication needs (6.1, 12.2): reported by a caseworker, considered by their line
manager, who proposes a reasonable adjustment from the report in one step (a draft request
with the need and suggestion filled in, for the Head of Department's decision) or records
why not. An open or proposed report shows the 6.1 equality prompt like a recorded need."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import first_available_manager
from audit.services import audit_record
from contacts.customer_services import customer_require_current, may_keep_customers
from contacts.models import CommunicationNeedReport, Customer
from notifications.services import complete, schedule

KIND = "communication_need"


def _key(report: CommunicationNeedReport) -> str:
    return f"communication_need:{report.pk}"


def communication_need_report(*, actor, customer: Customer, need: str, suggestion: str = "",
                              contact=None) -> CommunicationNeedReport:
    """12.2: "report to a line manager that a customer appears to have a disability
    affecting how we communicate with them"."""
    if not may_keep_customers(actor):
        raise PermissionDenied("Only caseworkers and managers can report a need.")
    customer_require_current(customer)
    if not (need or "").strip():
        raise ValidationError({"need": "Describe what the customer appears to need"})
    manager = first_available_manager(actor)
    if manager is None:
        raise ValidationError("You have no line manager available to receive this. Ask an "
                              "administrator to set your line manager.")
    with transaction.atomic():
        report = CommunicationNeedReport.objects.create(
            customer=customer, contact=contact, raised_by=actor, manager=manager,
            need=need.strip(), suggestion=(suggestion or "").strip())
        audit_record(actor=actor, action="communicationneedreport.raised", target=report,
                     changes={"customer": customer.pk})
        schedule(kind=KIND, key=_key(report), recipient=manager, due_at=timezone.now(),
                 target=report, message="A customer's communication need to consider (12.2)",
                 link=reverse("contacts:need_detail", args=[report.pk]))
    return report


def may_decide_need(actor, report: CommunicationNeedReport) -> bool:
    """The manager it went to, or a manager above the caseworker who raised it."""
    return bool(getattr(actor, "has_perm", None)) and actor.has_perm("contacts.decide_need",
                                                                      report)


def _lock_open(actor, report) -> CommunicationNeedReport:
    report = CommunicationNeedReport.objects.select_for_update().select_related(
        "customer", "raised_by").get(pk=report.pk)
    if not may_decide_need(actor, report):
        raise PermissionDenied("Only the caseworker's line manager can decide this.")
    if report.status != CommunicationNeedReport.Status.OPEN:
        raise ValidationError("This report has already been considered.")
    return report


def _short_need(need: str) -> str:
    """The report's need as the adjustment's short need: whole if it fits, else cut at a
    word with an ellipsis (the whole report goes into the grounds)."""
    import textwrap

    from restrictions.models import Restriction

    limit = Restriction._meta.get_field("need").max_length
    return need if len(need) <= limit else textwrap.shorten(need, limit, placeholder="…")


def communication_need_propose(*, actor, report: CommunicationNeedReport):
    """Propose a reasonable adjustment from the report: a draft request, prefilled, that
    the manager completes and submits for the Head of Department's decision (12.2). A need
    longer than the adjustment's field is shortened there; the grounds keep it whole."""
    from restrictions.constants import Kind
    from restrictions.services import Proposal, restriction_create

    with transaction.atomic():
        report = _lock_open(actor, report)
        raised = timezone.localtime(report.raised_at)
        proposal = Proposal(
            start_date=timezone.localdate(), need=_short_need(report.need),
            terms_notes=report.suggestion or "To be agreed with the customer.",
            grounds=(f"Reported by {report.raised_by.get_full_name() or report.raised_by} on "
                     f"{raised:%d %B %Y} (6.1, 12.2): {report.need}"))
        adjustment = restriction_create(requested_by=actor, customer=report.customer,
                                        kind=Kind.ADJUSTMENT, proposal=proposal, submit=False)
        report.status = CommunicationNeedReport.Status.PROPOSED
        report.adjustment = adjustment
        report.decided_by, report.decided_at = actor, timezone.now()
        report.save(update_fields=["status", "adjustment", "decided_by", "decided_at"])
        audit_record(actor=actor, action="communicationneedreport.proposed", target=report,
                     changes={"adjustment": adjustment.pk})
        complete(key=_key(report))
    return adjustment


def communication_need_decline(*, actor, report: CommunicationNeedReport,
                               reason: str) -> CommunicationNeedReport:
    """Record why no adjustment is proposed."""
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why no adjustment is proposed"})
    with transaction.atomic():
        report = _lock_open(actor, report)
        report.status = CommunicationNeedReport.Status.DECLINED
        report.decision_reason = reason.strip()
        report.decided_by, report.decided_at = actor, timezone.now()
        report.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
        audit_record(actor=actor, action="communicationneedreport.declined", target=report,
                     changes={"reason": report.decision_reason})
        complete(key=_key(report))
    return report


def has_reported_need(customer) -> bool:
    """6.1 prompt: a need reported and not turned down (an ``adjustment_checks`` provider)."""
    return CommunicationNeedReport.objects.filter(
        customer=customer, status__in=["open", "proposed"]).exists()
