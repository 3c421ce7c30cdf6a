"""Welfare forms: input checks only (2.2, 14.2)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from core.fields import GovukDateField
from core.idempotency import OneTimeKeyFormMixin


class FollowUpCompleteForm(forms.Form):
    """The welfare meeting, as held (14.2)."""

    held_on = GovukDateField(label="Date of the meeting", help_text="For example, 27 3 2026")
    effect_on_staff = forms.CharField(
        label="Effect on the staff member", widget=forms.Textarea,
        help_text="14.2: the effect the customer's behaviour has had on them.",
        error_messages={"required": "Enter the effect on the staff member"},
    )
    support_offered = forms.CharField(
        label="Support offered", widget=forms.Textarea,
        help_text="14.2: the steps in place to assist them.",
        error_messages={"required": "Enter the support offered"},
    )
    employee_assistance_referral = forms.BooleanField(
        label="Referred to the employee assistance programme", required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("held_on", context={"legend_size": Size.SMALL}),
            Field.textarea("effect_on_staff", rows=4),
            Field.textarea("support_offered", rows=4),
            Field.checkbox("employee_assistance_referral"),
            Submit("save", "Record the meeting"),
        )


class DistressFlagForm(OneTimeKeyFormMixin, forms.Form):
    """2.2: tell your manager now; a note is optional."""

    note = forms.CharField(
        label="What is happening (optional)", widget=forms.Textarea, required=False,
        max_length=2000,
        help_text="Your manager will see this. You can leave it blank and just talk to them.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("note", rows=4),
            Submit("send", "Tell my manager now"),
        )


class DistressAcknowledgeForm(forms.Form):
    action_taken = forms.CharField(
        label="What you did", widget=forms.Textarea,
        help_text="For example, spoke to them straight away and took over the call.",
        error_messages={"required": "Enter what you did"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("action_taken", rows=4),
            Submit("save", "Acknowledge"),
        )
