"""Forms: they validate input only; the rules live in ``documents.services``."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from documents.constants import DocumentLanguage


class LetterIssueForm(forms.Form):
    """Issue a letter: its language (the customer's preference unless changed) and why."""

    language = forms.ChoiceField(
        label="Language of the letter", widget=forms.RadioSelect,
        choices=DocumentLanguage.choices,
        help_text="The customer's preferred language is chosen. Change it only for this "
        "letter, for example if they asked for one letter in English.",
        error_messages={"required": "Choose the language of the letter"})
    why = forms.CharField(
        label="Why, in plain words", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the customer did and why this decision was made, in words they will "
        "understand. No internal references or names of other customers.")

    def __init__(self, *args, needs_why: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        layout = [Field.radios("language", legend_size=Size.MEDIUM)]
        if needs_why:
            layout.append(Field.textarea("why"))
        else:
            del self.fields["why"]
        self.helper = FormHelper()
        self.helper.layout = Layout(*layout, Submit("submit", "Issue the letter"))
