"""Customers, their case references, and contacts with their behaviour classification."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from contacts.constants import (
    Behaviour,
    CallbackStatus,
    Channel,
    Direction,
    Ending,
    EscalationOutcome,
    FlagStatus,
    HandlingStepKind,
    Language,
    NameGivenForm,
    PreferredChannel,
    ReviewStatus,
    WordsStep,
)


def new_customer_reference() -> str:
    """A public reference such as ``CUS-7K3M9Q2P`` (no personal data in it)."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "CUS-" + "".join(secrets.choice(alphabet) for _ in range(8))


class Customer(models.Model):
    reference = models.CharField(max_length=20, unique=True, default=new_customer_reference)
    given_name = models.CharField("First name", max_length=100, blank=True)
    family_name = models.CharField("Last name", max_length=100, blank=True)
    preferred_name = models.CharField(
        "Name they prefer to be called", max_length=100, blank=True,
        help_text="For example a shortened first name, or how they asked to be addressed.",
    )
    address = models.TextField(
        "Address", blank=True,
        help_text="The postal address letters go to, one line each, without the postcode.",
    )
    postcode = models.CharField(max_length=10, blank=True)
    preferred_language = models.CharField(
        max_length=2, choices=Language.choices, default=Language.ENGLISH,
        help_text="Letters and documents are written in this language.",
    )
    preferred_channel = models.CharField(
        "How they prefer us to contact them", max_length=10, blank=True,
        choices=PreferredChannel.choices,
    )
    communication_needs = models.TextField(
        blank=True,
        help_text="6.1: anything that may make it hard for them to use our services, "
        "such as a hearing difficulty.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Search keys derived from the names on every save (contacts/names.py): the folded names
    # (no case, accents, apostrophes, hyphens or spaces) and their Double Metaphone codes.
    register_key = models.CharField(
        "Reference in the imported register", max_length=64, null=True, blank=True,
        unique=True, editable=False,
        help_text="The organisation's own id for this person in the register it was imported "
                  "from (import_customers matches re-runs of a file on it).")
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_records",
        help_text="A tombstone: this record was merged into that one, and redirects to it.")
    search_given = models.CharField(max_length=100, blank=True, editable=False)
    search_family = models.CharField(max_length=100, blank=True, editable=False)
    sound_given = models.CharField(max_length=40, blank=True, editable=False)
    sound_given_alt = models.CharField(max_length=40, blank=True, editable=False)
    sound_family = models.CharField(max_length=40, blank=True, editable=False)
    sound_family_alt = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        indexes = [
            # customer_name_lower_idx (lower(family_name), lower(given_name), id) was dropped
            # (issue 23): the lookup searches the folded columns (customer_search_c_idx and
            # the trigram indexes); pg_stat_user_indexes showed it never scanned.
            models.Index(fields=["sound_family"], name="customer_sound_family_idx"),
            models.Index(fields=["sound_family_alt"], name="customer_sound_family_alt_idx",
                         condition=~models.Q(sound_family_alt="")),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(preferred_language__in=Language.values),
                                   name="customer_preferred_language_valid"),
            models.CheckConstraint(
                condition=models.Q(preferred_channel__in=["", *PreferredChannel.values]),
                name="customer_preferred_channel_valid"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.reference

    SEARCH_FIELDS = ("search_given", "search_family", "sound_given", "sound_given_alt",
                     "sound_family", "sound_family_alt")

    def save(self, *args, **kwargs):
        """Keep the derived search keys in step with the names (never set by hand)."""
        from contacts.names import search_keys

        for name, value in search_keys(self.given_name, self.family_name).items():
            setattr(self, name, value)
        fields = kwargs.get("update_fields")
        if fields is not None and {"given_name", "family_name"} & set(fields):
            kwargs["update_fields"] = {*fields, *self.SEARCH_FIELDS}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.family_name) if p)

    @property
    def postal_address_lines(self) -> list[str]:
        """The address as a letter shows it: each line, then the postcode."""
        lines = [line.strip() for line in self.address.splitlines() if line.strip()]
        if self.postcode:
            lines.append(self.postcode)
        return lines

    @property
    def postal_address(self) -> str:
        return "\n".join(self.postal_address_lines)

    @property
    def has_postal_address(self) -> bool:
        return bool(self.address.strip())


class CustomerMerge(models.Model):
    """A line manager's merge of a duplicate record into the surviving one, with what moved
    (so it can be undone the same day by the same manager)."""

    survivor = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    merged_at = models.DateTimeField(default=timezone.now)
    moved = models.JSONField(default=dict, help_text="{model label: [ids moved]}")
    filled = models.JSONField(default=dict, help_text="Survivor's blank fields filled in.")
    conflicts_acknowledged = models.JSONField(default=list)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"Merge of customer {self.merged_id} into {self.survivor_id}"


class CustomerEmail(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="emails")
    email = models.CharField(max_length=254)
    email_normalised = models.CharField(max_length=254, editable=False)

    class Meta:
        # One plain index serves the lookup's and the duplicate check's equality; the
        # pattern-ops twin Django adds for db_index=True served nothing (issue 23).
        indexes = [models.Index(fields=["email_normalised"], name="customeremail_norm_idx")]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        from contacts.normalise import normalise_email

        self.email_normalised = normalise_email(self.email)
        super().save(*args, **kwargs)


class CustomerPhone(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField("Phone number", max_length=40)
    number_normalised = models.CharField(
        max_length=20, editable=False,
        help_text="E.164 (+447700900123), by phonenumbers with the UK as the default region.")

    class Meta:
        # Equality (the duplicate check, merge's de-duplication) uses this plain index; the
        # lookup's suffix search uses customerphone_reverse_idx (migration 0003). The
        # pattern-ops twin Django adds for db_index=True served neither (issue 23).
        indexes = [models.Index(fields=["number_normalised"], name="customerphone_norm_idx")]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        from contacts.normalise import normalise_phone

        self.number_normalised = normalise_phone(self.number)
        super().save(*args, **kwargs)


class CaseReference(models.Model):
    """A case on the case management system (CMEH), e.g. ``RFA0123456``."""

    reference = models.CharField(max_length=20, unique=True)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="case_references"
    )
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["reference"]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs):
        self.reference = self.reference.strip().upper()
        super().save(*args, **kwargs)


class Contact(models.Model):
    """One call, email, letter, visit or web form, with its current behaviour class."""

    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    caller_name = models.CharField(
        "Name the caller gave", max_length=200, blank=True,
        help_text="For a caller we could not match to a customer record.",
    )
    customer_linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text="Who linked this unknown caller's contact to a customer.")
    customer_linked_at = models.DateTimeField(null=True, blank=True)
    case_reference = models.ForeignKey(
        CaseReference, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices,
                                 default=Direction.INBOUND)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contacts"
    )
    summary = models.TextField(blank=True)
    outcome = models.CharField(max_length=40, blank=True)
    behaviour = models.CharField(
        max_length=20, choices=Behaviour.choices, blank=True,
        help_text="The latest classification; each change is kept in BehaviourChange.",
    )
    no_new_information = models.BooleanField(
        default=False,
        help_text="7.2: the customer raised issues we have already addressed.",
    )
    terminated = models.BooleanField(
        default=False,
        help_text="8.1: we ended this contact because of the customer's behaviour.",
    )
    termination_reason = models.TextField(blank=True)
    ending = models.CharField(
        max_length=20, choices=Ending.choices, blank=True,
        help_text="How the contact ended; blank while it is live. Only 'terminated' is a "
                  "termination (8.1); a dropped line or a caller who hung up is not.",
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
        help_text="8.1: who ended it; after a take-over (14.2), the manager who terminated it.",
    )
    taken_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="contacts_taken_over",
    )
    taken_over_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "-started_at"]),
            # Covers the reports' aggregates (behaviour, channel, terminations per staff and
            # month) from the index alone; scanned backwards for "newest first" lists.
            models.Index(fields=["staff", "started_at"], name="contact_staff_started_cover",
                         include=["behaviour", "channel", "terminated"]),
            models.Index(fields=["case_reference", "started_at"]),
            # "Contacts to action": a staff member's open (not yet ended) contacts, newest
            # first. Partial, so it holds only the few live contacts, not all 5 million.
            models.Index(fields=["staff", "-started_at"], name="contact_open_by_staff",
                         condition=models.Q(ended_at__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True)
                | models.Q(ended_at__gte=models.F("started_at")),
                name="contact_ends_after_it_starts",
            ),
            models.CheckConstraint(condition=models.Q(ending__in=["", *Ending.values]),
                                   name="contact_ending_valid"),
            # A dropped line or a caller who hung up is never counted as a termination.
            models.CheckConstraint(
                condition=models.Q(terminated=False)
                | ~models.Q(ending__in=[Ending.LINE_DROPPED, Ending.CALLER_ENDED]),
                name="contact_exceptional_end_not_terminated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} contact {self.pk}"

    @property
    def is_live(self) -> bool:
        return self.ended_at is None


class BehaviourChange(models.Model):
    """Each classification of a contact, kept with its time and who recorded it (5)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE,
                                related_name="behaviour_changes")
    behaviour = models.CharField(max_length=20, choices=Behaviour.choices)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    equality_considered = models.BooleanField(
        default=False, help_text="6.1: a known disability or need was considered."
    )
    equality_note = models.TextField(blank=True)
    correction_reason = models.TextField(
        blank=True, help_text="Issue 17: why a manager moved the classification down.")

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_behaviour_display()} at {self.recorded_at:%H:%M}"


class HandlingStep(models.Model):
    """One guided step of paragraph 7 taken during a contact, in the order it was taken."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=40, choices=HandlingStepKind.choices)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    note = models.TextField(blank=True)
    explained = models.BooleanField(
        null=True, blank=True,
        help_text="On ending (7.4.5, 7.5.1): whether the explanation could be given.",
    )
    customer_unhappy = models.BooleanField(
        null=True, blank=True,
        help_text="On the 7.4.3 warning: whether the customer indicated they are not happy "
                  "with this approach (then they are told how to make a service complaint).",
    )

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "step"], name="handling_step_once"),
        ]

    def __str__(self) -> str:
        return self.get_step_display()


class Callback(models.Model):
    """7.3: a callback within 24 hours, or 9.1: a more senior colleague's callback."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="callbacks")
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="callbacks_assigned")
    due_at = models.DateTimeField()
    late_reason = models.TextField(
        blank=True, help_text="Why the callback is later than 24 hours (7.3)."
    )
    is_escalation = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=CallbackStatus.choices,
                              default=CallbackStatus.ARRANGED)
    arranged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    arranged_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_note = models.TextField(blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            # Someone's callbacks still to make, soonest first (their queue, Your work).
            models.Index(fields=["assigned_to", "due_at"], name="callback_open_by_assignee",
                         condition=models.Q(status=CallbackStatus.ARRANGED)),
            # The callbacks report's current month, from the index alone (8.2).
            models.Index(fields=["due_at"], name="callback_report_cover",
                         include=["id", "assigned_to", "status", "done_at", "contact"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=CallbackStatus.values),
                                   name="callback_status_valid"),
        ]

    def __str__(self) -> str:
        return f"Callback {self.pk} due {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def due_key(self) -> str:
        kind = "escalated_callback" if self.is_escalation else "callback"
        return f"{kind}:{self.pk}"


class WrittenCommentReview(models.Model):
    """7.6: unacceptable comments in writing, drawn to the line manager to agree the reply."""

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE,
                                   related_name="written_review")
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="written_reviews")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    comments = models.TextField(help_text="Which comments are unacceptable, and why.")
    status = models.CharField(max_length=10, choices=ReviewStatus.choices,
                              default=ReviewStatus.OPEN)
    agreed_reply = models.TextField(blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=ReviewStatus.values),
                                   name="written_review_status_valid"),
        ]

    def __str__(self) -> str:
        return f"Written comment review {self.pk}"


class PersistentContactFlag(models.Model):
    """7.2: repeated contact on the same or a similar issue (the same case, or no case
    reference), for the line manager to consider."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE,
                                 related_name="persistent_flags")
    case_reference = models.ForeignKey(CaseReference, null=True, blank=True,
                                       on_delete=models.CASCADE, related_name="+")
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="persistent_flags")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", help_text="The caseworker who raised it.")
    contacts = models.ManyToManyField(Contact, related_name="persistent_flags")
    trigger = models.CharField(max_length=200)
    raised_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=FlagStatus.choices,
                              default=FlagStatus.OPEN)
    decision_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    restriction = models.ForeignKey(
        "restrictions.Restriction", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
        help_text="7.2: the restriction request the line manager started from this flag.")

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=FlagStatus.values),
                                   name="persistent_flag_status_valid"),
            models.UniqueConstraint(fields=["customer", "case_reference"],
                                    condition=models.Q(status="open"),
                                    name="one_open_persistent_flag_per_case"),
            # NULLs are distinct in the constraint above, so contacts with no case reference
            # (7.2, issue 17) need their own: one open flag per customer for them.
            models.UniqueConstraint(fields=["customer"],
                                    condition=models.Q(status="open",
                                                       case_reference__isnull=True),
                                    name="one_open_persistent_flag_without_case"),
        ]

    def __str__(self) -> str:
        return f"Persistent contact flag {self.pk}"


class PersistentContactSuggestion(models.Model):
    """7.2: a member of staff suggests that a customer's contact is persistent. Only the line
    manager deems it so: the suggestion raises (or joins) the open flag they decide."""

    flag = models.ForeignKey(PersistentContactFlag, on_delete=models.CASCADE,
                             related_name="suggestions")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE,
                                related_name="persistent_suggestions")
    suggested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    suggested_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(
        help_text="Why the customer seems to be raising issues we have already addressed.")

    class Meta:
        ordering = ["suggested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["flag", "contact"],
                                    name="persistent_suggestion_once_per_flag"),
        ]

    def __str__(self) -> str:
        return f"Persistent contact suggestion {self.pk}"


class EscalationRequest(models.Model):
    """9.1: the customer asked for someone more senior; what we did about it."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="escalations")
    outcome = models.CharField(max_length=20, choices=EscalationOutcome.choices)
    discussed_with = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text="9.1: the more senior colleague whose advice was asked.")
    senior_advice = models.TextField(blank=True, help_text="9.1: the advice they gave.")
    why_escalation_helps = models.TextField(
        blank=True, help_text="9.1: why escalating would resolve the matter more effectively.")
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", help_text="9.1: the colleague the caller was passed to.")
    # As told to the caller (their name and job title then); typed by hand on older rows.
    escalated_to_name = models.CharField("Name told to the caller", max_length=200, blank=True)
    escalated_to_position = models.CharField("Position told to the caller", max_length=200,
                                             blank=True)
    reason = models.TextField(blank=True)
    callback = models.OneToOneField(Callback, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="escalation")
    time_agreed_with_them = models.BooleanField(default=False)
    calendar_checked = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(outcome__in=EscalationOutcome.values),
                                   name="escalation_outcome_valid"),
        ]

    def __str__(self) -> str:
        return self.get_outcome_display()


class NameWithheld(models.Model):
    """10.1: only a first name was given on a phone or in-person contact."""

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE,
                                   related_name="name_withheld")
    reason = models.TextField(help_text="Why you were concerned about giving your full name.")
    customer_unhappy = models.BooleanField(default=False)
    manager_name_given = models.BooleanField(default=False)
    complaint_procedure_given = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Name withheld on contact {self.contact_id}"


class NameGiven(models.Model):
    """10.1: the name and department a member of staff actually gave on a call or visit.

    ``name`` is taken from their staff record (their full name, or only their first name
    when they withheld their last name for good reason, with a ``NameWithheld`` row telling
    their line manager why); ``department`` is as they said it, prefilled from their record.
    """

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE,
                                   related_name="staff_name_given")
    given = models.CharField("What you gave", max_length=12, choices=NameGivenForm.choices)
    name = models.CharField("The name you gave", max_length=300)
    department = models.CharField("The department you gave", max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(given__in=NameGivenForm.values),
                                   name="namegiven_given_valid"),
            models.CheckConstraint(condition=~models.Q(name=""), name="namegiven_has_a_name"),
        ]

    def __str__(self) -> str:
        return f"Name given on contact {self.contact_id}"


class CommunicationNeedReport(models.Model):
    """6.1, 12.2: a caseworker reports that a customer appears to have a disability or other
    need affecting how we communicate; their line manager proposes a reasonable adjustment
    from it (a Head of Department decides) or records why not."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for the line manager"
        PROPOSED = "proposed", "Adjustment proposed"
        DECLINED = "declined", "No adjustment proposed"

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT,
                                 related_name="communication_need_reports")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="communication_need_reports")
    need = models.TextField(help_text="What the customer appears to need, as noticed.")
    suggestion = models.TextField(blank=True, help_text="What might help, if known.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    adjustment = models.ForeignKey("restrictions.Restriction", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=["open", "proposed",
                                                                  "declined"]),
                                   name="communication_need_status_valid"),
        ]

    def __str__(self) -> str:
        return f"Communication need report {self.pk}"


class SuggestedWords(models.Model):
    """Reference data: what a member of staff might say at one moment of a live call, taken
    from the procedure's text (7.3-7.5.1) and shown with the paragraph it comes from. Seeded
    by a data migration; an Administrator changes the words in the Django admin through
    ``contacts.services.suggested_words_save`` (audited). One row per moment, never added
    or deleted there."""

    step = models.CharField(max_length=40, choices=WordsStep.choices, unique=True)
    words = models.TextField(help_text="What to say. Square brackets mark what to fill in.")
    paragraph = models.CharField(max_length=20,
                                 help_text="The paragraph of the procedure, e.g. 7.4.1.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "suggested words"
        verbose_name_plural = "suggested words"

    def __str__(self) -> str:
        return self.get_step_display()
