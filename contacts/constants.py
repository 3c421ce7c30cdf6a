"""The procedure's vocabulary for contacts (paragraphs 5 and 7)."""

from django.db import models


class Behaviour(models.TextChoices):
    """The four classes of 5.2-5.5, in order up the scale."""

    DIFFICULT = "difficult", "Difficult"
    PERSISTENT = "persistent", "Persistent"
    OFFENSIVE = "offensive", "Offensive or insulting"
    ABUSIVE = "abusive", "Abusive or threatening"


BEHAVIOUR_RANK = {b: i for i, b in enumerate(Behaviour.values)}

# 5.2: difficult behaviour is not necessarily unacceptable behaviour.
UNACCEPTABLE = frozenset({Behaviour.PERSISTENT, Behaviour.OFFENSIVE, Behaviour.ABUSIVE})

BEHAVIOUR_DEFINITIONS = {
    Behaviour.DIFFICULT: (
        "5.2: the customer is causing you difficulty for whatever reason. This may not be "
        "due to any unacceptable behaviour: they may be struggling to understand something, "
        "or you may be finding it hard to convey information clearly."
    ),
    Behaviour.PERSISTENT: (
        "5.3: repeated contact with us raising issues which have already been addressed."
    ),
    Behaviour.OFFENSIVE: (
        "5.4: behaviour which is rude or unpleasant, including repeated use of "
        "inappropriate language."
    ),
    Behaviour.ABUSIVE: (
        "5.5: behaviour which is threatening or intimidating, through abusive or threatening "
        "language or a clearly threatening manner or tone. You think you have been personally "
        "abused or threatened."
    ),
}


class Channel(models.TextChoices):
    PHONE = "phone", "Telephone"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    WEB_FORM = "web_form", "Web form"


# Written channels: time to consider a reply (7.6); full names always given (10.1).
WRITTEN_CHANNELS = frozenset({Channel.EMAIL, Channel.LETTER, Channel.WEB_FORM})
LIVE_CHANNELS = frozenset({Channel.PHONE, Channel.IN_PERSON})


class NameGivenForm(models.TextChoices):
    """10.1: what a member of staff said their name was on a call or visit. Giving no name
    at all is not a choice: "Under no circumstances should a member of ICO staff refuse to
    provide any name to a customer"."""

    FULL = "full", "My full name and department"
    FIRST_NAME = "first_name", "Only my first name and department"


class Direction(models.TextChoices):
    INBOUND = "inbound", "From the customer"
    OUTBOUND = "outbound", "To the customer"


# Moving down the scale is refused: a classification records what happened during the
# contact; if the behaviour improves, the caseworker says so in the summary (see docs).
def is_move_allowed(current: str, new: str) -> bool:
    """A contact may be classified for the first time, or moved up the scale (5)."""
    if not current:
        return True
    return BEHAVIOUR_RANK[new] > BEHAVIOUR_RANK[current]


class HandlingStepKind(models.TextChoices):
    """The catalogue of guided steps of paragraph 7, each recorded with time, who and note."""

    TOLD_WILL_CONSULT = "told_will_consult", "Told the customer I need to consult someone (7.3)"
    EXPLAINED_UNACCEPTABLE = (
        "explained_unacceptable",
        "Explained precisely which behaviour is unacceptable (7.4.1)",
    )
    WARNED_WILL_END = "warned_will_end", "Warned that the contact will end if it continues (7.4.3)"
    TOLD_COMPLAINT = "told_complaint", "Told them how to make a service complaint (7.4.3)"
    ENDED_OFFENSIVE = "ended_offensive", "Ended the contact politely (7.4.4, 7.4.5)"
    ENDED_ABUSIVE = "ended_abusive", "Ended the contact for abuse or threats (7.5.1)"


# 7.4: the offensive steps, which must be recorded in this order.
OFFENSIVE_SEQUENCE = (
    HandlingStepKind.EXPLAINED_UNACCEPTABLE,
    HandlingStepKind.WARNED_WILL_END,
    HandlingStepKind.TOLD_COMPLAINT,
    HandlingStepKind.ENDED_OFFENSIVE,
)
ENDING_STEPS = frozenset({HandlingStepKind.ENDED_OFFENSIVE, HandlingStepKind.ENDED_ABUSIVE})


class Ending(models.TextChoices):
    """How a contact ended. Only ``TERMINATED`` is a termination (8.1): it needs the steps of
    7.4 or 7.5.1 and a terminated-call log, and it is what the reports count. A line that
    dropped or a caller who hung up is an exceptional end, recorded as such."""

    COMPLETED = "completed", "Ended normally"
    TERMINATED = "terminated", "I ended it because of the customer's behaviour (7.4.4, 7.5.1)"
    LINE_DROPPED = "line_dropped", "The line dropped"
    CALLER_ENDED = "caller_ended", "The customer hung up or left"


# The line dropped or the caller went: not a termination, so no terminated-call log (8.1).
EXCEPTIONAL_ENDINGS = frozenset({Ending.LINE_DROPPED, Ending.CALLER_ENDED})


class ReviewStatus(models.TextChoices):
    OPEN = "open", "Waiting for the line manager"
    AGREED = "agreed", "Reply agreed"


class FlagStatus(models.TextChoices):
    OPEN = "open", "Waiting for the line manager"
    DISMISSED = "dismissed", "Dismissed"
    # 7.2: deemed persistent, but contact not restricted (e.g. the contact details are not
    # known, or the manager decides a restriction is not needed), with the reason.
    PERSISTENT = "persistent", "Deemed persistent, contact not restricted"
    RESTRICTION = "restriction", "Taken to a restriction request"


class EscalationOutcome(models.TextChoices):
    """9.1: what happened to a customer's request to speak to someone more senior."""

    ESCALATED = "escalated", "Escalated under the Case Review and Service Complaint Policy"
    NOT_ESCALATED = "not_escalated", "Not escalated"
    CALLBACK = "callback", "A more senior colleague will call them back"


class CallbackStatus(models.TextChoices):
    ARRANGED = "arranged", "Arranged"
    DONE = "done", "Done"


CALLBACK_WITHIN_HOURS = 24  # 7.3: "call the customer back within the next 24 hours"


class Language(models.TextChoices):
    """The language letters and documents are written in for the customer."""

    ENGLISH = "en", "English"
    WELSH = "cy", "Welsh"


class PreferredChannel(models.TextChoices):
    """How the customer would like us to contact them ("" is no preference)."""

    PHONE = "phone", "Telephone"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"


class WordsStep(models.TextChoices):
    """The moments of a live call (7.3-7.5.1) that have suggested words to say: the guided
    steps of ``HandlingStepKind`` and arranging a callback (7.3)."""

    TOLD_WILL_CONSULT = (HandlingStepKind.TOLD_WILL_CONSULT.value,
                         HandlingStepKind.TOLD_WILL_CONSULT.label)
    ARRANGE_CALLBACK = "arrange_callback", "Arranged a callback within 24 hours (7.3)"
    EXPLAINED_UNACCEPTABLE = (HandlingStepKind.EXPLAINED_UNACCEPTABLE.value,
                              HandlingStepKind.EXPLAINED_UNACCEPTABLE.label)
    WARNED_WILL_END = HandlingStepKind.WARNED_WILL_END.value, HandlingStepKind.WARNED_WILL_END.label
    TOLD_COMPLAINT = HandlingStepKind.TOLD_COMPLAINT.value, HandlingStepKind.TOLD_COMPLAINT.label
    ENDED_OFFENSIVE = HandlingStepKind.ENDED_OFFENSIVE.value, HandlingStepKind.ENDED_OFFENSIVE.label
    ENDED_ABUSIVE = HandlingStepKind.ENDED_ABUSIVE.value, HandlingStepKind.ENDED_ABUSIVE.label
