"""In-app help: one page per part of the procedure, quoting what it asks of staff.

Each screen that implements a paragraph links here with ``{% url 'core:help' 'offensive' %}``.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class HelpTopic:
    slug: str
    title: str
    paragraphs: str


TOPICS = (
    HelpTopic("behaviour", "Classifying behaviour", "5.1 to 5.5"),
    HelpTopic("equality", "Equality and diversity", "6.1"),
    HelpTopic("persistent", "Persistent behaviour", "7.2"),
    HelpTopic("difficult", "Difficult behaviour and callbacks", "7.3"),
    HelpTopic("offensive", "Offensive or insulting behaviour", "7.4.1 to 7.4.5"),
    HelpTopic("abusive", "Abusive or threatening behaviour", "7.5.1"),
    HelpTopic("written", "Unacceptable comments in writing", "7.6"),
    HelpTopic("terminated-calls", "Ending a contact and the terminated-call log", "8.1 and 8.2"),
    HelpTopic("escalation", "Customers asking for escalation", "9.1"),
    HelpTopic("your-name", "Giving your name", "10.1"),
    HelpTopic("at-risk", "Customers who threaten self-harm or are at risk", "11.1 to 11.6"),
    HelpTopic("restrictions", "Restricted contact and reasonable adjustments",
              "12.1 to 12.3 and 13"),
    HelpTopic("welfare", "Your welfare and managers' duty of care", "2.2, 14.1, 14.2 and 15.6"),
)
TOPICS_BY_SLUG = {topic.slug: topic for topic in TOPICS}


# Which screens implement which paragraphs. Keyed by "namespace:url_name"; a namespace on its
# own covers every screen of that app. ``base.html`` renders "Help with this" links from
# this table (``{% help_links %}``), so each screen links to the part of the procedure it
# implements without the apps' templates knowing about help.
SCREEN_TOPICS: dict[str, tuple[str, ...]] = {
    "contacts:contact_log": ("behaviour",),
    "contacts:contact_classify": ("behaviour", "equality"),
    "contacts:contact_end": ("terminated-calls",),
    "contacts:callback_arrange": ("difficult",),
    "contacts:callback_done": ("difficult",),
    "contacts:escalation_record": ("escalation",),
    "contacts:name_given_record": ("your-name",),
    "contacts:written_review_raise": ("written",),
    "contacts:review_detail": ("written",),
    "contacts:flag_detail": ("persistent",),
    "contacts:customer_detail": ("restrictions",),
    "callogs": ("terminated-calls",),
    "welfare": ("welfare",),
    "restrictions": ("restrictions",),
    "atrisk": ("at-risk",),
}

# The guided steps of paragraph 7 (``contacts:contact_step``), by step.
STEP_TOPICS: dict[str, str] = {
    "told_will_consult": "difficult",
    "explained_unacceptable": "offensive",
    "warned_will_end": "offensive",
    "told_complaint": "offensive",
    "ended_offensive": "offensive",
    "ended_abusive": "abusive",
}

# The contact screen links to the classification help and to the behaviour it records.
BEHAVIOUR_TOPICS: dict[str, str] = {
    "difficult": "difficult",
    "persistent": "persistent",
    "offensive": "offensive",
    "abusive": "abusive",
}


def topics_for_screen(*, view_name: str, kwargs: dict, behaviour: str = "") -> list[HelpTopic]:
    """The help topics for the screen ``view_name`` ("namespace:url_name"), in order."""
    namespace = view_name.split(":", 1)[0]
    slugs = list(SCREEN_TOPICS.get(view_name) or SCREEN_TOPICS.get(namespace) or ())
    if view_name == "contacts:contact_step" and kwargs.get("step") in STEP_TOPICS:
        slugs.append(STEP_TOPICS[kwargs["step"]])
    if view_name == "contacts:contact_detail":
        slugs.append("behaviour")
        if behaviour in BEHAVIOUR_TOPICS:
            slugs.append(BEHAVIOUR_TOPICS[behaviour])
    return [TOPICS_BY_SLUG[slug] for slug in dict.fromkeys(slugs)]
