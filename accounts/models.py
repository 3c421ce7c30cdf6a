"""Staff, departments and the line-manager relation."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class Department(models.Model):
    """A department, with the Head of Department who approves its restrictions (7.2, 12)."""

    name = models.CharField(max_length=120, unique=True)
    head = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="departments_headed",
    )
    deputy = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="departments_deputised",
        help_text="Decides restriction and adjustment requests when the Head cannot.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def staff_name(first_name: str | None, last_name: str | None, username: str) -> str:
    """How a member of staff is shown: their full name, else their username. For pages that
    read only these three columns rather than the whole user (``str(user)`` is the same)."""
    return f"{first_name or ''} {last_name or ''}".strip() or username


class User(AbstractUser):
    """A member of staff. Roles are Django groups (see ``accounts.constants.Role``)."""

    job_title = models.CharField(
        max_length=120,
        blank=True,
        help_text="Told to a caller whose enquiry is passed to this person (9.1).",
    )
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    line_manager = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    is_away = models.BooleanField(
        default=False,
        help_text="While away, what would go to this manager goes to the next one up (2.2).",
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(line_manager=models.F("id")),
                name="user_not_own_line_manager",
            ),
        ]

    def __str__(self) -> str:
        return staff_name(self.first_name, self.last_name, self.username)

    @property
    def role_names(self) -> frozenset[str]:
        """The names of this user's groups, cached for the request."""
        cached = getattr(self, "_role_names", None)
        if cached is None:
            cached = frozenset(self.groups.values_list("name", flat=True))
            self._role_names = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        """Whether the user holds any of ``roles``."""
        return self.is_active and bool(self.role_names.intersection(roles))


class ExternalIdentity(models.Model):
    """Who a member of staff is at the organisation's identity provider (issue 21).

    A sign-in through the provider finds its user by issuer and subject (``iss`` + ``sub``,
    stable for the life of the account there), never by email address, which can be reused.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"],
                                    name="external_identity_unique_subject"),
            models.UniqueConstraint(fields=["user", "issuer"],
                                    name="external_identity_one_per_issuer"),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject}"
