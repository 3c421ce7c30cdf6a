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
