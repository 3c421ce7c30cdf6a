"""Forms for the terminated-call log (appendix) and its review (8.2). Input checks only."""

import re
from datetime import datetime

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size, Submit
from django import forms
from django.utils import timezone

from callogs.models import LogReview, TerminatedCallLog
from core.fields import GovukDateField

TIME_PATTERN = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


GIVE = "give"  # the name of the button that saves and gives the log in one step


class TerminatedCallLogForm(forms.Form):
    """The appendix fields, prefilled from the contact."""

    caller_name = forms.CharField(
        label=TerminatedCallLog._meta.get_field("caller_name").verbose_name,
        required=False, max_length=200,
        help_text="Leave blank if the caller did not give a name.",
    )
    case_reference = forms.CharField(
        label=TerminatedCallLog._meta.get_field("case_reference").verbose_name,
        required=False, max_length=20,
        help_text="For example RFA0123456. 8.1: a copy of the log goes in the case file.",
    )
    call_date = GovukDateField(label="Date of call", help_text="For example, 27 3 2026")
    call_time = forms.CharField(
        label="Time of call", max_length=5,
        help_text="Use the 24-hour clock, for example 14:05",
        error_messages={"required": "Enter the time of the call"},
    )
    reason = forms.CharField(
        label="Reason for terminating the call", widget=forms.Textarea,
        error_messages={"required": "Enter the reason for terminating the call"},
    )
    staff_name = forms.CharField(
        label="Staff member's name", max_length=200,
        error_messages={"required": "Enter the staff member's name"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("caller_name", field_width=Fluid.TWO_THIRDS),
            Field.text("case_reference", field_width=10),
            Field("call_date", context={"legend_size": Size.SMALL}),
            Field.text("call_time", field_width=5),
            Field.textarea("reason", rows=5),
            Field.text("staff_name", field_width=Fluid.TWO_THIRDS),
            # 8.1: the usual end is to give the completed log to the line manager; saving a
            # draft to finish later is the second choice (one submission, not two).
            Submit(GIVE, "Save and give to my line manager"),
            Submit("save", "Save draft", css_class="govuk-button--secondary"),
        )

    @classmethod
    def initial_for(cls, log: TerminatedCallLog) -> dict:
        local = timezone.localtime(log.call_at)
        return {
            "caller_name": log.caller_name, "case_reference": log.case_reference,
            "call_date": local.date(), "call_time": local.strftime("%H:%M"),
            "reason": log.reason, "staff_name": log.staff_name,
        }

    def clean_call_time(self):
        value = self.cleaned_data["call_time"].strip()
        match = TIME_PATTERN.match(value)
        if not match:
            raise forms.ValidationError("Enter the time in the 24-hour clock, like 14:05")
        return (int(match.group(1)), int(match.group(2)))

    def clean(self):
        cleaned = super().clean()
        day, time_parts = cleaned.get("call_date"), cleaned.get("call_time")
        if day and time_parts:
            naive = datetime(day.year, day.month, day.day, *time_parts)  # noqa: DTZ001
            cleaned["call_at"] = timezone.make_aware(naive)
        return cleaned


class LogReviewForm(forms.Form):
    """The line manager's discussion with the staff member (8.2)."""

    discussed_on = GovukDateField(
        label=LogReview._meta.get_field("discussed_on").verbose_name,
        help_text="For example, 27 3 2026",
    )
    staff_clear_about_circumstances = forms.TypedChoiceField(
        label=LogReview._meta.get_field("staff_clear_about_circumstances").verbose_name,
        choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
        error_messages={"required": "Select yes if they are clear about the circumstances"},
    )
    effect_on_staff = forms.CharField(
        label="How the contact affected them", widget=forms.Textarea,
        help_text="8.2: gauge how the call has affected them.",
        error_messages={"required": "Enter how the contact affected them"},
    )
    advice_and_support = forms.CharField(
        label="Advice and support offered", widget=forms.Textarea,
        error_messages={"required": "Enter the advice and support you offered"},
    )
    next_steps = forms.MultipleChoiceField(
        label="What happens next", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[
            ("restriction", "Ask a Head of Department to consider restricting the "
                            "customer's contact (12.1)"),
            ("welfare", "Arrange a welfare follow-up meeting with the staff member (14.2)"),
        ],
        help_text="Select all that apply.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("discussed_on", context={"legend_size": Size.SMALL}),
            Field.radios("staff_clear_about_circumstances", legend_size=Size.SMALL,
                         inline=False),
            Field.textarea("effect_on_staff", rows=4),
            Field.textarea("advice_and_support", rows=4),
            Field.checkboxes("next_steps", legend_size=Size.SMALL),
            Submit("save", "Record the review"),
        )


class ConfirmForm(forms.Form):
    """A button-only form (submit, file a copy, take over)."""



class LogReturnForm(forms.Form):
    """Issue 17: return a submitted log to its author, saying what to amend."""

    reason = forms.CharField(
        label="What should the author amend?", max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what the author should amend"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(Field.textarea("reason"),
                                    Submit("submit", "Return the log to its author"))
