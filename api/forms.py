"""The Administrator's client forms (validation of input only; the rules are in services)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from api.constants import ClientKind, Scope


class ClientRegisterForm(forms.Form):
    name = forms.CharField(label="Name of the system", max_length=100)
    kind = forms.ChoiceField(label="Kind of system", choices=ClientKind.choices,
                             widget=forms.RadioSelect)
    scopes = forms.MultipleChoiceField(
        label="What it may do", choices=Scope.choices, widget=forms.CheckboxSelectMultiple,
        help_text="Give each system only the scopes it needs.")
    rate_limit_per_minute = forms.IntegerField(
        label="Requests a minute, at most", min_value=1, max_value=100_000, initial=600)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("name"), Field.radios("kind", legend_size=Size.SMALL),
            Field.checkboxes("scopes", legend_size=Size.SMALL),
            Field.text("rate_limit_per_minute", field_width=5),
            Submit("submit", "Register client"))


class ClientScopesForm(forms.Form):
    scopes = forms.MultipleChoiceField(
        label="What it may do", choices=Scope.choices, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.checkboxes("scopes", legend_size=Size.SMALL),
                                    Submit("submit", "Save scopes"))
