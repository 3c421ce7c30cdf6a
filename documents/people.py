"""How the people on a document are named: full names always (10.1), and one job title."""

from django.utils.translation import gettext_noop


def full_name(user) -> str:
    """10.1: "When writing letters or emails, full names must always be provided": the
    person's first and last name, never their username ("" when not recorded)."""
    if user is None:
        return ""
    return user.full_name


def require_full_name(user, role: str = "The sender of this letter") -> None:
    """Refuse a letter whose sender has no full name recorded (10.1)."""
    from django.core.exceptions import ValidationError

    if user is None or not user.full_name:
        who = (user.get_full_name() if user is not None else "") or "this member of staff"
        raise ValidationError(
            f"{role} ({who}) has no full name recorded, and letters always give full names "
            "(10.1): the sender's is printed. Ask an administrator to record their first "
            "and last name, then issue the letter.")


def signatory_title(user, department=None) -> str:
    """The title a decider signs with: the one place it is worked out.

    Their recorded job title if any; otherwise by their place in the department that
    decided: its Head, or the deputy deciding in the Head's place ("Acting Head of
    Department", 7.2). Standard titles are translated in the letter's language.
    """
    if user is None:
        return ""
    from accounts.selectors import acting_head_appointment  # procd's acting Heads (7.2)

    if department is not None and acting_head_appointment(user, department) is not None:
        return gettext_noop("Acting Head of Department")
    if user.job_title:
        return user.job_title
    if department is not None and user.pk == department.head_id:
        return gettext_noop("Head of Department")
    return ""


def signatory(user, department=None) -> dict:
    """``{"name": ..., "title": ...}`` frozen into a letter."""
    return {"name": full_name(user), "title": signatory_title(user, department)}
