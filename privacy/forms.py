"""Forms for subject access requests, challenges and extensions."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fixed, Layout, Size, Submit
from django import forms

from contacts.models import Customer
from core.fields import DateInput
from core.idempotency import OneTimeKeyFormMixin
from privacy.constants import ChallengeOutcome, Exemption


def _helper(*fields, submit: str, form_tag: bool = True) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = form_tag
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


class SarCreateForm(OneTimeKeyFormMixin, forms.Form):
    customer_reference = forms.CharField(
        label="Customer reference", max_length=20,
        help_text="From the customer's page, for example CUS-7K3M9Q2P.",
        error_messages={"required": "Enter the customer reference"})
    received_on = forms.DateField(
        label="Date the request was received", widget=DateInput,
        error_messages={"required": "Enter the date the request was received",
                        "invalid": "Enter a real date"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("customer_reference", field_width=Fixed.TWENTY),
                              Field.text("received_on"), submit="Record the request")

    def clean_customer_reference(self) -> Customer:
        reference = self.cleaned_data["customer_reference"].strip().upper()
        customer = Customer.objects.filter(reference=reference).first()
        if customer is None:
            raise forms.ValidationError("No customer has that reference")
        return customer


class SarExtendForm(forms.Form):
    extension_reason = forms.CharField(
        label="Why does this request need more time?", widget=forms.Textarea, max_length=2000,
        help_text="Article 12(3): only for complex or numerous requests.",
        error_messages={"required": "Enter why the request needs more time"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("extension_reason", rows=3),
                              submit="Extend by two months", form_tag=False)


class SarSentForm(forms.Form):
    sent_on = forms.DateField(label="Date sent to the requester", widget=DateInput,
                              error_messages={"required": "Enter the date it was sent",
                                              "invalid": "Enter a real date"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("sent_on"), submit="Record as sent", form_tag=False)


class ChallengeForm(OneTimeKeyFormMixin, forms.Form):
    statement = forms.CharField(
        label="What does the customer say is wrong?", widget=forms.Textarea, max_length=5000,
        error_messages={"required": "Enter what the customer says is wrong"})
    received_on = forms.DateField(label="Date received", widget=DateInput,
                                  error_messages={"required": "Enter the date received",
                                                  "invalid": "Enter a real date"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("statement", rows=5), Field.text("received_on"),
                              submit="Keep this challenge with the record")


class ChallengeDecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What was decided?", widget=forms.RadioSelect,
        choices=[(ChallengeOutcome.CORRECTED, ChallengeOutcome.CORRECTED.label),
                 (ChallengeOutcome.NOT_CORRECTED, ChallengeOutcome.NOT_CORRECTED.label)],
        error_messages={"required": "Select what was decided"})
    note = forms.CharField(label="Note (optional)", widget=forms.Textarea, required=False,
                           max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.radios("outcome", legend_size=Size.SMALL),
                              Field.textarea("note", rows=3), submit="Save decision")



class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        label="Why must these records be kept?", widget=forms.Textarea, max_length=2000,
        help_text="For example a claim or investigation and its reference. While the hold "
                  "is in force, retention changes nothing about this customer.",
        error_messages={"required": "Enter why the records must be kept"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("reason", rows=3), submit="Place a legal hold",
                              form_tag=False)


class LegalHoldReleaseForm(forms.Form):
    release_reason = forms.CharField(
        label="Why can the hold end?", widget=forms.Textarea, max_length=2000,
        error_messages={"required": "Enter why the hold can end"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("release_reason", rows=3),
                              submit="Release the legal hold", form_tag=False)


class SarWithholdForm(forms.Form):
    """Withhold part of the bundle (DPA 2018 Sch. 2-3): a whole kind of record, or one."""

    part = forms.ChoiceField(label="Which records?",
                             error_messages={"required": "Choose a part of the bundle"})
    record = forms.IntegerField(
        label="Only one record (optional): its number", required=False, min_value=1,
        help_text="Leave blank to withhold every record of this kind.",
        error_messages={"invalid": "Enter the record's number, for example 12"})
    exemption = forms.ChoiceField(
        label="Exemption relied on", widget=forms.RadioSelect, choices=Exemption.choices,
        error_messages={"required": "Choose the exemption relied on"})
    reason = forms.CharField(label="Why is it withheld?", widget=forms.Textarea,
                             max_length=2000,
                             error_messages={"required": "Enter why this part is withheld"})

    def __init__(self, *args, parts: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].choices = [("", "Choose"), *parts]
        self.helper = _helper(Field.select("part"),
                              Field.text("record", field_width=Fixed.FIVE),
                              Field.radios("exemption", legend_size=Size.SMALL),
                              Field.textarea("reason", rows=3), submit="Withhold",
                              form_tag=False)

    @property
    def part_value(self) -> str:
        record = self.cleaned_data.get("record")
        part = self.cleaned_data["part"]
        return f"{part}:{record}" if record else part
