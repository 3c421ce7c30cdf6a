"""Input for paragraph 11. Forms validate input only; the rules live in ``atrisk.services``."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from accounts.constants import Role
from accounts.models import User
from atrisk.constants import (
    Consent,
    EmergencyAdvice,
    RecipientType,
    RegisterState,
    Source,
    ThreatType,
)
from contacts.models import CaseReference, Customer
from core.fields import DateInput
from core.idempotency import OneTimeKeyFormMixin

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class LocalDateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker, styled as a GOV.UK input."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M",
                         attrs={"class": "govuk-input govuk-input--width-20"}, **kwargs)


def _when(label: str, help_text: str = "", required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, help_text=help_text, required=required, input_formats=DATETIME_FORMATS,
        widget=LocalDateTimeInput(), error_messages={
            "required": f"Enter {label.lower()}",
            "invalid": f"Enter {label.lower()} as a real date and time, like 2026-03-14 15:30",
        },
    )


def _text(label: str, message: str, help_text: str = "", required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label, help_text=help_text, required=required, widget=forms.Textarea,
        error_messages={"required": message},
    )


class ReportForm(OneTimeKeyFormMixin, forms.Form):
    """11.2-11.4: as many details as possible, in a structured form."""

    source = forms.ChoiceField(
        label="How did the threat reach us?", choices=Source.choices,
        widget=forms.RadioSelect, error_messages={"required": "Select how the threat reached us"},
    )
    threat_type = forms.ChoiceField(
        label="Who is at risk?", choices=ThreatType.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select who is at risk"},
    )
    what_was_said = _text(
        "What was said or written", "Enter what was said",
        "In the person's own words, as closely as you can (11.2).",
    )
    threat_made_at = _when("When the threat was made")
    location_given = _text(
        "Any location given", "", "Where the person said they are, or the place mentioned.",
        required=False,
    )
    caller_name = forms.CharField(label="Name the person gave", required=False, max_length=200)
    caller_phone = forms.CharField(label="Phone number", required=False, max_length=40)
    caller_other_details = _text(
        "Other details about the person", "",
        "Anything else that could help identify or reach them.", required=False,
    )
    emergency_advice = forms.ChoiceField(
        label="Did you advise them to contact the emergency services?",
        choices=EmergencyAdvice.choices, widget=forms.RadioSelect,
        help_text="11.2, 11.3: suggest they contact the emergency services.",
        error_messages={"required": "Select whether you advised them to contact the "
                                    "emergency services"},
    )
    customer = forms.CharField(
        label="Customer reference (optional)", required=False, max_length=20,
        help_text="For example, CUS-7K3M9Q2P. Leave blank if you do not know who it is.",
    )
    case_reference = forms.CharField(
        label="Case reference (optional)", required=False, max_length=20,
        help_text="For example, RFA0123456, if the threat relates to an ongoing case.",
    )
    case_note = _text(
        "Note for the case file", "",
        "11.2: if the threat relates to an ongoing case, the details to attach to the case "
        "file.", required=False,
    )

    def __init__(self, *args, contact=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact = contact
        if contact is not None:
            # The contact already says who the customer and case are.
            del self.fields["customer"]
            del self.fields["case_reference"]
        if not self.is_bound:
            self.initial.setdefault("threat_made_at", timezone.localtime().replace(
                second=0, microsecond=0))
        self.helper = FormHelper()
        link_fields = [] if contact is not None else [
            Field.text("customer", field_width=10), Field.text("case_reference", field_width=10),
        ]
        self.helper.layout = Layout(
            Field.radios("source", legend_size=Size.MEDIUM),
            Field.radios("threat_type", legend_size=Size.MEDIUM),
            Fieldset(
                Field.textarea("what_was_said"),
                Field("threat_made_at"),
                Field.textarea("location_given", rows=2),
                legend="What happened", legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("caller_name"),
                Field.text("caller_phone", field_width=20),
                Field.textarea("caller_other_details", rows=2),
                legend="About the person", legend_size=Size.MEDIUM,
            ),
            Field.radios("emergency_advice", legend_size=Size.MEDIUM),
            Fieldset(
                *link_fields,
                Field.textarea("case_note", rows=3),
                legend="Customer and case", legend_size=Size.MEDIUM,
            ),
            Submit("submit", "Send to senior staff now"),
        )

    def clean_customer(self):
        value = self.cleaned_data.get("customer", "").strip().upper()
        if not value:
            return None
        customer = Customer.objects.filter(reference=value).first()
        if customer is None:
            raise ValidationError("No customer has that reference: check it, or leave it blank")
        return customer

    def clean_case_reference(self):
        value = self.cleaned_data.get("case_reference", "").strip().upper()
        if not value:
            return None
        case = CaseReference.objects.filter(reference=value).first()
        if case is None:
            raise ValidationError("No case has that reference: check it, or leave it blank")
        return case


class AssessmentForm(forms.Form):
    """11.5: whether other agencies are contacted, which, when, and with what outcome."""

    spoke_to_reporter = forms.BooleanField(
        label="I spoke to the member of staff who made the report", required=False,
        help_text="11.5: assess on the basis of the report and after speaking to them.")
    spoke_to_reporter_at = _when("When you spoke to them", required=False)
    agencies_contacted = forms.TypedChoiceField(
        label="Were other agencies contacted?", choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes", widget=forms.RadioSelect,
        error_messages={"required": "Select whether other agencies were contacted"},
    )
    agencies = _text("Which agencies", "", required=False)
    agencies_contacted_at = _when("When they were contacted", required=False)
    agencies_outcome = _text("Outcome", "", required=False)
    assessment_notes = _text(
        "Assessment notes", "", "If no agency was contacted, say why.", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.checkbox("spoke_to_reporter"),
            Field("spoke_to_reporter_at"),
            Field.radios("agencies_contacted", legend_size=Size.MEDIUM, inline=False),
            Field.textarea("agencies", rows=2),
            Field("agencies_contacted_at"),
            Field.textarea("agencies_outcome", rows=3),
            Field.textarea("assessment_notes", rows=3),
            Submit("submit", "Save the assessment"),
        )


def authorisers():
    """Who can authorise a disclosure: senior staff and Heads of Department."""
    return User.objects.filter(
        Q(groups__name=Role.SENIOR_STAFF) | Q(groups__name=Role.HEAD_OF_DEPARTMENT),
        is_active=True,
    ).distinct().order_by("last_name", "first_name", "username")


class DisclosureForm(OneTimeKeyFormMixin, forms.Form):
    """11.6: the vital-interests test, the recipient, what was disclosed and who authorised it."""

    necessity = _text(
        "Why is the disclosure necessary to protect someone's life?",
        "Enter why the disclosure is necessary to protect someone's life",
    )
    less_intrusive_options = _text(
        "Which less intrusive options did you consider?",
        "Enter the less intrusive options you considered",
        "And why they were not enough.",
    )
    consent = forms.ChoiceField(
        label="Could the person consent?", choices=Consent.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select whether the person could consent"},
    )
    consent_explanation = _text(
        "Why was consent not relied on?", "Enter why consent was not relied on"
    )
    recipient_type = forms.ChoiceField(
        label="Kind of authority", choices=RecipientType.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of authority"},
    )
    recipient_authority = forms.CharField(
        label="Recipient authority", max_length=200,
        help_text="The organisation, team and, if known, the officer's name or reference.",
        error_messages={"required": "Enter the authority the details were given to"},
    )
    what_was_disclosed = _text(
        "Exactly what was disclosed", "Enter exactly what was disclosed",
        "Every item of personal data given, for example name, address, phone number.",
    )
    disclosed_at = _when("When the details were disclosed")
    authorised_by = forms.ModelChoiceField(
        label="Authorised by", queryset=User.objects.none(),
        error_messages={"required": "Select who authorised the disclosure"},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authorised_by"].queryset = authorisers()
        if not self.is_bound:
            self.initial.setdefault("authorised_by", user.pk if user else None)
            self.initial.setdefault("disclosed_at", timezone.localtime().replace(
                second=0, microsecond=0))
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                Field.textarea("necessity", rows=3),
                Field.textarea("less_intrusive_options", rows=3),
                Field.radios("consent", legend_size=Size.SMALL),
                Field.textarea("consent_explanation", rows=2),
                legend="The vital-interests test", legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("recipient_type", legend_size=Size.SMALL),
                Field.text("recipient_authority"),
                Field.textarea("what_was_disclosed", rows=3),
                Field("disclosed_at"),
                Field.select("authorised_by"),
                legend="The disclosure", legend_size=Size.MEDIUM,
            ),
            HTML('<p class="govuk-body">Saving this tells Compliance, who record it in the '
                 "disclosure register (11.6).</p>"),
            Submit("submit", "Record the disclosure"),
        )


class RegisterFilterForm(forms.Form):
    """Filters of the disclosure register; only declared values are accepted."""

    date_from = forms.DateField(label="Disclosed from", required=False, widget=DateInput(),
                                error_messages={"invalid": "Enter a real date for 'from'"})
    date_to = forms.DateField(label="Disclosed to", required=False, widget=DateInput(),
                              error_messages={"invalid": "Enter a real date for 'to'"})
    recipient_type = forms.ChoiceField(
        label="Kind of authority", required=False,
        choices=[("", "Any"), *RecipientType.choices],
        error_messages={"invalid_choice": "Select a kind of authority from the list"},
    )
    state = forms.ChoiceField(
        label="Register", required=False, choices=[("", "Any"), *RegisterState.choices],
        error_messages={"invalid_choice": "Select recorded or not yet recorded"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field("date_from"),
            Field("date_to"),
            Field.select("recipient_type"),
            Field.select("state"),
            Submit("filter", "Apply filters", css_class="govuk-button--secondary"),
        )

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return data
