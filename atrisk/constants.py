"""The vocabulary of paragraph 11: at-risk reports, their states and the 11.1-11.3 script."""

from django.db import models


class ThreatType(models.TextChoices):
    """11: a threat to place themselves or others at risk."""

    SELF_HARM = "self_harm", "Threat of self-harm"
    HARM_TO_OTHERS = "harm_to_others", "Threat of harm to others"
    BOTH = "both", "Both"


class Source(models.TextChoices):
    """How the threat reached us: a live contact (11.2, 11.3) or in writing (11.4)."""

    TELEPHONE = "telephone", "Telephone call"
    IN_PERSON = "in_person", "In person"
    WRITTEN = "written", "Written communication (email, letter or web form)"


class EmergencyAdvice(models.TextChoices):
    """11.2, 11.3: whether the caller was advised to contact the emergency services."""

    ADVISED = "advised", "Yes, I suggested they contact the emergency services"
    NOT_ADVISED = "not_advised", "No, I could not"
    NOT_APPLICABLE = "not_applicable", "Not applicable (the threat was made in writing)"


class ReportStatus(models.TextChoices):
    RAISED = "raised", "Waiting for a senior member of staff"
    ACKNOWLEDGED = "acknowledged", "Acknowledged by senior staff"
    ASSESSED = "assessed", "Assessed (11.5)"


# The one table of allowed moves; the service enforces it, a CheckConstraint guards the values.
TRANSITIONS: dict[str, frozenset[str]] = {
    ReportStatus.RAISED: frozenset({ReportStatus.ACKNOWLEDGED}),
    ReportStatus.ACKNOWLEDGED: frozenset({ReportStatus.ASSESSED}),
    ReportStatus.ASSESSED: frozenset(),
}

OPEN_STATUSES = frozenset({ReportStatus.RAISED, ReportStatus.ACKNOWLEDGED})
# A disclosure is recorded by senior staff once they have taken the report on (11.6).
DISCLOSURE_STATUSES = frozenset({ReportStatus.ACKNOWLEDGED, ReportStatus.ASSESSED})


class Consent(models.TextChoices):
    """11.6, vital interests: whether the person could have been asked to consent."""

    COULD_NOT = (
        "could_not",
        "No, the person could not consent (for example, unreachable or unable to decide)",
    )
    REFUSED = "refused", "The person could consent but refused"
    NOT_ASKED = "not_asked", "Asking would have put a life at risk through delay"


class RecipientType(models.TextChoices):
    """The kind of authority the customer's details were disclosed to (11.6)."""

    POLICE = "police", "Police"
    AMBULANCE = "ambulance", "Ambulance service"
    HEALTH = "health", "NHS or mental health crisis team"
    SOCIAL_SERVICES = "social_services", "Local authority social services"
    OTHER = "other", "Other authority"


class RegisterState(models.TextChoices):
    """Filter values of the disclosure register: recorded by Compliance or not yet."""

    RECORDED = "recorded", "Recorded in the register"
    NOT_RECORDED = "not_recorded", "Not yet recorded"


# The script shown while the contact is live (11.1, 11.2, 11.3), in plain English.
SCRIPT: tuple[tuple[str, str], ...] = (
    ("11.2", "Tell the caller that we are not able to help them with this and suggest that "
             "they contact the emergency services (999)."),
    ("11.3", "If they threaten to harm themselves, explain that you are not qualified to help "
             "and suggest they contact the emergency services."),
    ("11.1", "You are not qualified to judge whether the threat is genuine. Do not try to."),
    ("11.1", "You are not personally responsible for the wellbeing of this customer."),
    ("11.2", "Note as many details as you can and pass them on to a senior member of staff "
             "straight away: raise an at-risk report."),
    ("11.2", "If the call is hard to handle, you may follow paragraph 7.3."),
)
