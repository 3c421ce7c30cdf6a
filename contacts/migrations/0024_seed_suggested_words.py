"""Seed the suggested words for a live call from the procedure's text (7.3-7.5.1).

Each is the procedure's own substance turned into what a member of staff might say; square
brackets mark what they fill in. An Administrator may change them afterwards (issue 24).
"""

from django.db import migrations

WORDS = [
    ("told_will_consult", "7.3",
     "I need to consult someone else so that I can help you properly. Please bear with me."),
    ("arrange_callback", "7.3",
     "I cannot get the help I need to answer you right now. Can we agree a convenient time in "
     "the next 24 hours for me, or a colleague, to call you back?"),
    ("explained_unacceptable", "7.4.1",
     "I find [say precisely which behaviour, for example the language you are using] "
     "unacceptable. I will be unable to continue to talk to you or deal with you unless you "
     "stop it."),
    ("warned_will_end", "7.4.3",
     "I have asked you to stop [the behaviour]. If you continue, I will end this call."),
    ("told_complaint", "7.4.3",
     "If you are not happy with this approach, you can make a service complaint. "
     "[Explain how this can be done.]"),
    ("ended_offensive", "7.4.4, 7.4.5",
     "Your behaviour has not improved, so I am now ending this call. [Say this even if the "
     "caller talks over you.]"),
    ("ended_abusive", "7.5.1",
     "Abusive or threatening behaviour is totally unacceptable. I am ending this call in line "
     "with our office policies."),
]


def seed(apps, schema_editor):
    SuggestedWords = apps.get_model("contacts", "SuggestedWords")
    for step, paragraph, words in WORDS:
        SuggestedWords.objects.update_or_create(
            step=step, defaults={"paragraph": paragraph, "words": words})


def unseed(apps, schema_editor):
    apps.get_model("contacts", "SuggestedWords").objects.filter(
        step__in=[step for step, _, _ in WORDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("contacts", "0023_suggested_words")]
    operations = [migrations.RunPython(seed, unseed)]
