"""Customers, their case references, and contacts with their behaviour classification."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from contacts.constants import Behaviour, Channel, Direction


def new_customer_reference() -> str:
    """A public reference such as ``CUS-7K3M9Q2P`` (no personal data in it)."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "CUS-" + "".join(secrets.choice(alphabet) for _ in range(8))


class Customer(models.Model):
    reference = models.CharField(max_length=20, unique=True, default=new_customer_reference)
    given_name = models.CharField("First name", max_length=100, blank=True)
    family_name = models.CharField("Last name", max_length=100, blank=True)
    address = models.TextField(blank=True)
    communication_needs = models.TextField(
        blank=True,
        help_text="6.1: anything that may make it hard for them to use our services, "
        "such as a hearing difficulty.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        indexes = [
            models.Index(Lower("family_name"), Lower("given_name"), "id",
                         name="customer_name_lower_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.reference

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.family_name) if p)


class CustomerEmail(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="emails")
    email = models.CharField(max_length=254)
    email_normalised = models.CharField(max_length=254, db_index=True, editable=False)

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        self.email_normalised = self.email.strip().lower()
        super().save(*args, **kwargs)


class CustomerPhone(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField("Phone number", max_length=40)
    number_normalised = models.CharField(max_length=20, db_index=True, editable=False)

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
            models.Index(fields=["staff", "-started_at"]),
            models.Index(fields=["case_reference", "started_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True)
                | models.Q(ended_at__gte=models.F("started_at")),
                name="contact_ends_after_it_starts",
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

    class Meta:
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_behaviour_display()} at {self.recorded_at:%H:%M}"
