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


class Direction(models.TextChoices):
    INBOUND = "inbound", "From the customer"
    OUTBOUND = "outbound", "To the customer"
