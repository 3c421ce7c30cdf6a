"""What the privacy app adds to the customer page: challenges kept beside the record."""

from django.db.models import Exists, OuterRef
from django.urls import reverse

from core.extensions import Action, Panel
from privacy.models import LegalHold, RecordChallenge

# Set on the customer by the customer page's query (core.extensions.customer_page_facts).
CHALLENGES_FACT = "has_record_challenges"


def challenge_facts(ref: str) -> dict:
    return {CHALLENGES_FACT: Exists(RecordChallenge.objects.filter(customer=OuterRef(ref)))}


def challenge_panels(request, customer):
    """Challenges to this customer's records, shown with the record (Art. 16)."""
    if getattr(customer, CHALLENGES_FACT, None) is False:
        return
    challenges = list(RecordChallenge.objects.filter(customer=customer)
                      .select_related("recorded_by"))
    if challenges:
        yield Panel("privacy/_challenges_panel.html", {
            "challenges": challenges,
            "can_decide": request.user.has_perm("privacy.decide_challenge", customer),
        })


def challenge_actions(request, customer):
    # On the customer: see audit.panels.history_actions.
    if request.user.has_perm("privacy.record_challenge", customer):
        yield Action("Record a challenge to this record",
                     reverse("privacy:challenge_create", args=[customer.pk]))


def legal_hold_actions(request, customer):
    if request.user.has_perm("privacy.manage_legal_hold", customer):
        yield Action("Legal hold", reverse("privacy:legal_hold", args=[customer.pk]))


def legal_hold_panels(request, customer):
    """Compliance sees at once that a legal hold keeps this customer's records (one query,
    for Compliance only)."""
    if not request.user.has_perm("privacy.manage_legal_hold", customer):
        return
    hold = LegalHold.objects.filter(customer=customer, released_at__isnull=True).first()
    if hold is not None:
        yield Panel("privacy/_legal_hold_panel.html", {"hold": hold})
