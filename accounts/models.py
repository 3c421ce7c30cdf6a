"""Staff, departments and the line-manager relation."""

from django.contrib.auth.models import AbstractUser, _user_has_module_perms, _user_has_perm
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

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ActingHeadOfDepartment(models.Model):
    """A recorded, time-bounded appointment to act as a department's Head (7.2, 12.1).

    While it runs (``starts_on`` to ``ends_on`` inclusive, not ended early) the acting Head
    decides the department's restriction and adjustment requests, and letters say "Acting
    Head of Department". Made and ended only by ``accounts.services`` (audited).
    """

    department = models.ForeignKey(Department, on_delete=models.CASCADE,
                                   related_name="acting_heads")
    acting_head = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                    related_name="acting_head_appointments")
    appointed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT,
                                     related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    ended_early_on = models.DateField(null=True, blank=True)
    ended_by = models.ForeignKey("accounts.User", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="acting_head_ends_after_it_starts"),
        ]

    def __str__(self) -> str:
        return f"{self.acting_head}, acting Head of {self.department}"

    def runs_on(self, day) -> bool:
        """Whether the appointment is in force on ``day`` (ended early: not from that day)."""
        return (self.starts_on <= day <= self.ends_on
                and (self.ended_early_on is None or day < self.ended_early_on))


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
    # Issue 23: bumped whenever the user's groups change (accounts.session_floor), so the
    # role names kept in a session are read again on the next request.
    roles_version = models.PositiveIntegerField(default=0, editable=False)

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
    def full_name(self) -> str:
        """10.1: "First Last" for letters and emails, or "" when either name is missing
        (never the username: "When writing letters or emails, full names must always be
        provided")."""
        first, last = (self.first_name or "").strip(), (self.last_name or "").strip()
        return f"{first} {last}" if first and last else ""

    @property
    def display_name(self) -> str:
        """How emails and notifications name this person: their full name; the names that
        are recorded when one is missing; never the username (10.1)."""
        return (self.full_name or self.get_full_name().strip()
                or "a member of staff whose name is not recorded")

    def save(self, *args, **kwargs):
        """``roles_version`` is only ever raised by the role-change signal: a stale copy of
        the user saved later must not put an old version back (accounts.session_floor)."""
        if not self._state.adding and kwargs.get("update_fields") is None and not args:
            kwargs["update_fields"] = [f.name for f in self._meta.concrete_fields
                                       if not f.primary_key and f.name != "roles_version"]
        super().save(*args, **kwargs)

    @property
    def role_names(self) -> frozenset[str]:
        """The names of this user's groups, cached for the request."""
        cached = getattr(self, "_role_names", None)
        if cached is None:
            cached = frozenset(self.groups.values_list("name", flat=True))
            self._role_names = cached
        return cached

    def has_perm(self, perm: str, obj=None) -> bool:
        """Only the backends decide: a superuser is not granted everything (issue 17).

        ``PermissionsMixin.has_perm`` returns True for any active superuser before asking a
        backend; ``accounts.backends.AdministrationBackend`` gives a superuser the admin's
        model permissions for what administrators manage, and the rules decide the rest.
        """
        return self.is_active and _user_has_perm(self, perm, obj)

    async def ahas_perm(self, perm: str, obj=None) -> bool:
        from asgiref.sync import sync_to_async

        return await sync_to_async(self.has_perm)(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_active and _user_has_module_perms(self, app_label)

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


class EnrolmentCode(models.Model):
    """A one-time code an administrator issues so a member of staff can set up (or replace)
    their authenticator app (issue 19, finding 1): the password alone never enrols one.

    Only a hash is kept; the code is shown once to the administrator who issued it.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE,
                             related_name="enrolment_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey("accounts.User", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+",
                                  help_text="Empty when issued from the command line.")
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"Enrolment code {self.pk} for user {self.user_id}"
