"""What of a contact a member of staff may see: ONE rule, used by every page that shows one.

12.3 lets any member of staff find a customer and see the customer page with its banners, so
every member of staff may see that a contact happened: when, by which channel and for which
case (the contact's *outline*). What was said and done (the summary, the behaviour and
whether the contact was ended for it, the member of staff who took it) belongs to the people
who may open the contact itself (its *details*): the staff member who owns it, a manager who
has taken it over, and the managers in the owner's line-manager chain above (deny by
default). The contact page, the customer page's history, written-contact triage, the
persistent-contact flag page and search results all ask this module; the API and the
customer history page are to ask it too. ``tests/security/test_contact_visibility.py`` walks
those pages for six roles and three relationships and checks they agree with the contact page.

A Django superuser is not exempt: the rule looks at relationships, never at ``is_superuser``.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When

from accounts.constants import MAX_CHAIN_DEPTH

# What every member of staff may see of any contact (12.3); everything else is a detail.
OUTLINE_FIELDS = ("started_at", "ended_at", "channel", "direction", "case_reference")
REFUSED = "Only the member of staff who took this contact and the managers above them can see it."


def staff_below(user) -> frozenset[int]:
    """Ids of everyone whose line-manager chain includes ``user`` (one recursive query).

    The same chain ``accounts.selectors.manager_chain`` walks upwards, bounded by the same
    depth, so a cycle in the data cannot loop.
    """
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_staff_below", None)
    if cached is not None:
        return cached
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH RECURSIVE below(id, depth) AS ("
            " SELECT id, 1 FROM accounts_user WHERE line_manager_id = %s"
            " UNION SELECT u.id, b.depth + 1 FROM accounts_user u"
            " JOIN below b ON u.line_manager_id = b.id WHERE b.depth < %s)"
            " SELECT DISTINCT id FROM below", [user.pk, MAX_CHAIN_DEPTH])
        found = frozenset(row[0] for row in cursor.fetchall()) - {user.pk}
    user._staff_below = found  # one request, one user: asked once however many contacts
    return found


def may_see_contact(user, contact) -> bool:
    """The contact page's rule: may ``user`` see this contact's details?"""
    if contact is None or not getattr(user, "is_authenticated", False):
        return False
    if user.pk in (contact.staff_id, contact.taken_over_by_id):
        return True
    return contact.staff_id in staff_below(user)


def require_contact(user, contact) -> None:
    """Refuse (403) unless ``user`` may see the contact's details."""
    if not may_see_contact(user, contact):
        raise PermissionDenied(REFUSED)


def details_visible_q(user) -> Q:
    """The same rule as a filter, for querysets of contacts."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return Q(staff_id=user.pk) | Q(taken_over_by_id=user.pk) | Q(staff_id__in=staff_below(user))


def with_visibility(contacts: QuerySet, user) -> QuerySet:
    """Annotate each contact with ``details_visible`` (the contact page's rule)."""
    return contacts.annotate(details_visible=Case(
        When(details_visible_q(user), then=Value(True)), default=Value(False),
        output_field=BooleanField()))


def mark_visibility(contacts: Iterable, user) -> list:
    """Set ``details_visible`` on contacts already loaded (one query for any number)."""
    contacts = list(contacts)
    for contact in contacts:
        contact.details_visible = may_see_contact(user, contact)
    return contacts


def visible_to(user, contacts: QuerySet) -> QuerySet:
    """Only the contacts whose details ``user`` may see (for lists that show nothing else)."""
    return contacts.filter(details_visible_q(user))
