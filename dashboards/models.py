"""Monthly counts the reports read instead of scanning millions of contacts (8.2, 12, 14).

``ContactMonth`` holds, for each month (in the service's time zone), member of staff and
channel, how many contacts there were: in all, in each behaviour class, and terminated. A
PostgreSQL trigger on ``contacts_contact`` (migration 0001) keeps it exact in the same
transaction as every insert, update and delete, so the reports never lag behind the contacts
and nothing has to remember to update it. ``dashboards.rollup.rebuild`` recomputes it from
scratch (after a bulk load that disabled the trigger, such as ``seed_bench``).

``CallbackMonth`` and ``RestrictionSpan`` are kept the same way, from callbacks and from
restrictions and adjustments (``dashboards.rollup``).

On SQLite (the ``make run`` default) there is no trigger; the reports count the contacts
directly there (see ``dashboards.rollup.available``).
"""

from django.conf import settings
from django.db import models

from contacts.constants import Behaviour, Channel
from restrictions.constants import ACTIVE, Status

# The zone the trigger truncates to months in; a test checks it matches settings.TIME_ZONE.
ROLLUP_TIME_ZONE = "Europe/London"


# One column per behaviour class (5) plus terminations (8.1): the report series read them.
BEHAVIOUR_COLUMNS = tuple(b.value for b in Behaviour)


class ContactCounts(models.Model):
    """Per month and member of staff: contacts in all, in each behaviour class, terminated."""

    month = models.DateField(help_text="The first day of the month the contacts started in.")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    contacts = models.IntegerField(default=0, help_text="All contacts, classified or not.")
    difficult = models.IntegerField(default=0)
    persistent = models.IntegerField(default=0)
    offensive = models.IntegerField(default=0)
    abusive = models.IntegerField(default=0)
    terminated = models.IntegerField(default=0)

    COUNTS = ("contacts", *BEHAVIOUR_COLUMNS, "terminated")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.month:%B %Y}: {self.contacts} contacts"


class ContactMonth(ContactCounts):
    """Contact counts per channel too: what the reports read to filter or group by channel."""

    channel = models.CharField(max_length=20, choices=Channel.choices)

    class Meta:
        constraints = [
            # The trigger's upsert key; INCLUDE makes a team's figures an index-only scan.
            models.UniqueConstraint(
                fields=["staff", "month", "channel"], name="contactmonth_key",
                include=ContactCounts.COUNTS),
        ]
        indexes = [
            # A whole department or everything: the months in range, from the index alone.
            models.Index(fields=["month"], name="contactmonth_month",
                         include=("staff", "channel", *ContactCounts.COUNTS)),
        ]


class CallbackCounts(models.Model):
    """Per month due and assignee: callbacks in all, made on time, made late, not made."""

    month = models.DateField(help_text="The first day of the month the callbacks were due in.")
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                    related_name="+")
    callbacks = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)

    COUNTS = ("callbacks", "on_time", "late", "overdue")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.month:%B %Y}: {self.callbacks} callbacks"


class CallbackMonth(CallbackCounts):
    """Callbacks (7.3, 9.1) per month due, assignee and channel: made on time, late, or not.

    ``overdue`` counts callbacks not made; for a month that is over, every one of them is
    overdue, which is how the callbacks report uses it (it counts the current month
    directly, where some are not due yet).
    """

    channel = models.CharField(max_length=20, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assigned_to", "month", "channel"],
                                    name="callbackmonth_key", include=CallbackCounts.COUNTS),
        ]
        indexes = [
            models.Index(fields=["month"], name="callbackmonth_month",
                         include=("assigned_to", "channel", *CallbackCounts.COUNTS)),
        ]


class ContactStaffMonth(ContactCounts):
    """``ContactMonth`` with every channel added together: per month and member of staff.

    Most report views neither filter nor group by channel; for a department they read this
    table, a fifth the size of ``ContactMonth`` (one row per member of staff and month rather
    than per channel too). Kept by its own trigger on ``contacts_contact`` (migration 0004).
    """

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "month"], name="contactstaffmonth_key",
                include=ContactCounts.COUNTS),
        ]
        indexes = [
            models.Index(fields=["month"], name="contactstaffmonth_month",
                         include=("staff", *ContactCounts.COUNTS)),
        ]


class CallbackStaffMonth(CallbackCounts):
    """``CallbackMonth`` with every channel added together: per month due and assignee."""

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assigned_to", "month"],
                                    name="callbackstaffmonth_key", include=CallbackCounts.COUNTS),
        ]
        indexes = [
            models.Index(fields=["month"], name="callbackstaffmonth_month",
                         include=("assigned_to", *CallbackCounts.COUNTS)),
        ]


# What the restrictions report counts (12): in force, and those since lifted or expired.
REPORTED_STATUSES = sorted({*ACTIVE, Status.LIFTED, Status.EXPIRED})


class RestrictionSpan(models.Model):
    """Restrictions and adjustments (12) by requester, department and the months they span.

    A record is in force from its start date to the earlier of its review and end dates
    (``Restriction.until``); it is counted in the row of the month it starts in
    (``first_month``) and the month it stops in (``last_month``), so the records in force at
    some time in month M are the rows with ``first_month <= M <= last_month``. The days at
    either end of a range that is not whole months are corrected from the records themselves
    (``dashboards.reports``). ``restriction``/``adjustment`` count what the restrictions
    report counts (in force, lifted or expired); ``active_*`` only the records whose status
    is in force (``restrictions.constants.ACTIVE``), as the Head of Department's dashboard
    counts them. Kept by a trigger on ``restrictions_restriction`` (migration 0003).
    """

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                     related_name="+")
    department = models.ForeignKey("accounts.Department", on_delete=models.CASCADE,
                                   related_name="+")
    first_month = models.DateField(help_text="The first day of the month the records start in.")
    last_month = models.DateField(help_text="The first day of the month they stop in.")
    restriction = models.IntegerField(default=0)
    adjustment = models.IntegerField(default=0)
    active_restriction = models.IntegerField(default=0)
    active_adjustment = models.IntegerField(default=0)

    COUNTS = ("restriction", "adjustment", "active_restriction", "active_adjustment")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["requested_by", "department", "first_month", "last_month"],
                name="restrictionspan_key",
                include=["restriction", "adjustment", "active_restriction",
                         "active_adjustment"]),
        ]

    def __str__(self) -> str:
        return (f"{self.first_month:%B %Y} to {self.last_month:%B %Y}: {self.restriction} "
                f"restrictions, {self.adjustment} adjustments")
