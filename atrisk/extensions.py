"""What this app adds to other screens through ``core.extensions`` (11.2, 11.3), and where an
unacknowledged alert escalates."""

from collections.abc import Iterable
from urllib.parse import urlencode

from django.urls import reverse

from accounts.selectors import manager_chain
from atrisk.constants import SCRIPT
from core.extensions import Action, Panel


def contact_actions(request, contact) -> Iterable[Action]:
    """Offer "Raise an at-risk report" on the contact screen (11.2)."""
    if not request.user.has_perm("atrisk.raise_report"):
        return []
    url = reverse("atrisk:report_create") + "?" + urlencode({"contact": contact.pk})
    return [Action(label="Raise an at-risk report", url=url)]


def contact_banners(request, contact) -> Iterable[Panel]:
    """While the contact is live and has an open at-risk report, show the 11.1-11.3 script."""
    from atrisk.selectors import open_report_exists_for_contact

    if not contact.is_live or not open_report_exists_for_contact(contact):
        return []
    return [Panel(template="atrisk/_script_banner.html", context={"script": SCRIPT})]


def escalate_alert_to(item):
    """11.2: an alert nobody acknowledged goes to the next manager up from the recipient,
    never the reporter (who cannot acknowledge their own report). The alert reaching them is
    what lets them acknowledge it (``atrisk.rules.was_alerted``)."""
    report = item.target
    reporter = getattr(report, "raised_by_id", None)
    for manager in manager_chain(item.recipient):
        if manager.is_active and not manager.is_away and manager.pk != reporter:
            return manager
    return None
