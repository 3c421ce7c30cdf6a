"""Forms: they validate input only; the rules live in the services."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Fluid, Layout, Size, Submit
from django import forms
from django.utils import timezone

from accounts.models import User
from core.fields import GovukDateField
from core.idempotency import OneTimeKeyFormMixin
from core.plumbing import add_service_errors
from restrictions.constants import (
    Adjustment,
    AppealOutcome,
    FurtherActionKind,
    Kind,
    Term,
    TriageOutcome,
)
from restrictions.services import Proposal

DATE_HINT = "For example, 27 3 2027"


def date_field(label: str, *, required: bool = True, help_text: str = DATE_HINT):
    return GovukDateField(label=label, required=required, help_text=help_text,
                          require_all_fields=False)


show_service_errors = add_service_errors  # the shared one (core.plumbing)


def staff_choices():
    return User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")


def add_term_fields(form: forms.Form, kind: str) -> list:
    """The terms (7.2) or the need and adjustments (12.2); returns their layout."""
    f = form.fields
    if kind == Kind.RESTRICTION:
        f["terms"] = forms.MultipleChoiceField(
            label="Terms", choices=Term.choices, required=False,
            widget=forms.CheckboxSelectMultiple, help_text="Choose all that apply.")
        f["phone_times"] = forms.CharField(
            label="Set times for telephone calls", required=False, max_length=200,
            help_text="For example, Tuesdays 10am to 11am")
        f["call_length_minutes"] = forms.IntegerField(
            label="Longest a call may last, in minutes", required=False, min_value=1,
            max_value=120)
        f["point_of_contact"] = forms.ModelChoiceField(
            label="Named point of contact", queryset=staff_choices(), required=False)
        f["placed_on_file"] = forms.BooleanField(
            label="Written contact that raises nothing new is placed on file "
            "(after a triage sign-off)", required=False)
        f["terms_notes"] = forms.CharField(label="Other terms", required=False,
                                           widget=forms.Textarea(attrs={"rows": 3}))
        return [Field.checkboxes("terms", legend_size=Size.SMALL),
                Field.text("phone_times", field_width=Fluid.TWO_THIRDS),
                Field.text("call_length_minutes", field_width=4),
                Field.select("point_of_contact"),
                Field.checkbox("placed_on_file"),
                Field.textarea("terms_notes")]
    f["need"] = forms.CharField(label="The customer's need", max_length=300, required=False,
                                help_text="For example, a hearing difficulty")
    f["adjustments"] = forms.MultipleChoiceField(
        label="Adjustments", choices=Adjustment.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text="Choose all that apply.")
    f["terms_notes"] = forms.CharField(label="Other adjustments or detail", required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}))
    return [Field.text("need", field_width=Fluid.TWO_THIRDS),
            Field.checkboxes("adjustments", legend_size=Size.SMALL),
            Field.textarea("terms_notes")]


def proposal_from(data: dict, **extra) -> Proposal:
    values = {name: data.get(name) for name in Proposal.__dataclass_fields__ if name in data}
    for text in ("grounds", "grounds_references", "phone_times", "terms_notes", "need"):
        if values.get(text) is None and text in values:
            values[text] = ""
    for listed in ("terms", "adjustments"):
        if listed in values:
            values[listed] = list(values[listed] or [])
    values.update(extra)
    return Proposal(**values)


class RestrictionRequestForm(OneTimeKeyFormMixin, forms.Form):
    """7.2 / 12.2: a line manager's request."""

    def __init__(self, *args, kind: str, customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["grounds"] = forms.CharField(
            label="Grounds", widget=forms.Textarea(attrs={"rows": 5}),
            help_text="What has happened, and what has been tried (7.2). Staff without a "
            "manager's role will not see this.")
        self.fields["grounds_contacts"] = forms.ModelMultipleChoiceField(
            label="Contacts behind the request", required=False,
            queryset=customer.contacts.order_by("-started_at"),
            widget=forms.CheckboxSelectMultiple)
        self.fields["grounds_references"] = forms.CharField(
            label="Terminated-call logs and persistent-contact flags", required=False,
            max_length=300, help_text="Their references, if any")
        term_layout = add_term_fields(self, kind)
        self.fields["start_date"] = date_field("Start date")
        if not self.is_bound and "start_date" not in self.initial:
            self.initial["start_date"] = timezone.localdate()  # issue 25: today by default
        self.fields["review_date"] = date_field(
            "Review date", required=False,
            help_text="Leave blank for the default review period for these terms. "
            "It can be no more than the maximum set for this kind. " + DATE_HINT)
        self.fields["end_date"] = date_field("End date (optional)", required=False)
        self.helper = FormHelper()
        grounds = [Field.textarea("grounds")]
        if self.fields["grounds_contacts"].queryset.exists():
            grounds.append(Field.checkboxes("grounds_contacts", legend_size=Size.SMALL))
        grounds.append(Field.text("grounds_references", field_width=Fluid.TWO_THIRDS))
        self.helper.layout = Layout(
            Fieldset(*grounds, legend="Grounds", legend_size=Size.MEDIUM),
            Fieldset(*term_layout, legend="Proposed terms" if kind == Kind.RESTRICTION
                     else "Need and adjustments", legend_size=Size.MEDIUM),
            Fieldset(Field("start_date"), Field("review_date"), Field("end_date"),
                     legend="Dates", legend_size=Size.MEDIUM),
            Submit("submit_for_decision", "Submit for a decision"),
            Submit("save_draft", "Save as draft", css_class="govuk-button--secondary"),
        )

    def proposal(self) -> Proposal:
        return proposal_from(self.cleaned_data)


class DecisionForm(forms.Form):
    """7.2: approve (optionally amending the terms), refuse, or return for more information."""

    decision = forms.ChoiceField(
        label="Your decision", widget=forms.RadioSelect,
        choices=[("approve", "Approve"), ("refuse", "Refuse"),
                 ("return", "Return for more information")],
        error_messages={"required": "Choose approve, refuse or return"})
    reason = forms.CharField(
        label="Reason", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required to refuse, to return, or to change the terms.")

    def __init__(self, *args, restriction, conflicts: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        term_layout = add_term_fields(self, restriction.kind)
        self.fields["review_date"] = date_field("Review date", required=False)
        self.fields["end_date"] = date_field("End date (optional)", required=False)
        layout = [Field.radios("decision", legend_size=Size.MEDIUM), Field.textarea("reason")]
        if conflicts:
            self.fields["conflicts_acknowledged"] = forms.BooleanField(
                label="I have considered the conflict with the customer's other "
                "arrangements", required=False)
            layout.append(Field.checkbox("conflicts_acknowledged"))
        layout.append(Fieldset(
            HTML('<p class="govuk-body">Change these only to amend the terms when you '
                 "approve.</p>"),
            *term_layout, Field("review_date"), Field("end_date"),
            legend="Terms (you may amend them)", legend_size=Size.MEDIUM))
        layout.append(Submit("submit", "Record the decision"))
        self.helper = FormHelper()
        self.helper.layout = Layout(*layout)

    def amended(self, restriction) -> Proposal:
        return proposal_from(self.cleaned_data, start_date=restriction.start_date,
                             grounds=restriction.grounds,
                             review_date=self.cleaned_data.get("review_date")
                             or restriction.review_date)


class ReviewForm(forms.Form):
    """12: renew with a new date and reasons, lift, or let it expire."""

    outcome = forms.ChoiceField(
        label="Outcome of the review", widget=forms.RadioSelect,
        choices=[("renew", "Renew with a new review date"), ("lift", "Lift it now"),
                 ("expire", "Let it expire now")],
        error_messages={"required": "Choose renew, lift or let expire"})
    review_date = date_field("New review date (to renew)", required=False)
    end_date = date_field("New end date (optional)", required=False)
    reason = forms.CharField(label="Reasons", widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "Give the reasons for the outcome"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("outcome", legend_size=Size.MEDIUM), Field("review_date"),
            Field("end_date"), Field.textarea("reason"), Submit("submit", "Record the review"))

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "renew" and not data.get("review_date"):
            self.add_error("review_date", "Enter the new review date")
        return data


class LetterForm(forms.Form):
    """Telling the customer in writing, or the exception with its reason."""

    told = forms.ChoiceField(
        label="Was the customer told in writing?", widget=forms.RadioSelect,
        choices=[("sent", "Yes, the letter was sent"),
                 ("exception", "No: telling them would itself create a risk")],
        error_messages={"required": "Choose whether the letter was sent"})
    sent_on = date_field("Date the letter was sent", required=False)
    reason = forms.CharField(label="Why telling them would create a risk", required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    check_on = date_field("Date to check again", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("told", legend_size=Size.MEDIUM), Field("sent_on"),
            Field.textarea("reason"), Field("check_on"), Submit("submit", "Save"))

    def clean(self):
        data = super().clean()
        if data.get("told") == "sent" and not data.get("sent_on"):
            self.add_error("sent_on", "Enter the date the letter was sent")
        if data.get("told") == "exception":
            if not (data.get("reason") or "").strip():
                self.add_error("reason", "Give the reason the customer is not told")
            if not data.get("check_on"):
                self.add_error("check_on", "Enter the date to check again")
        return data


class AppealForm(OneTimeKeyFormMixin, forms.Form):
    received_on = date_field("Date the customer's request was received")
    customer_grounds = forms.CharField(
        label="What the customer says", widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what the customer says"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field("received_on"), Field.textarea("customer_grounds"),
                                    Submit("submit", "Record the appeal"))


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label="Outcome", widget=forms.RadioSelect,
                                choices=AppealOutcome.choices,
                                error_messages={"required": "Choose the outcome"})
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "Give the reason for the outcome"})

    def __init__(self, *args, restriction, **kwargs):
        super().__init__(*args, **kwargs)
        term_layout = add_term_fields(self, restriction.kind)
        self.fields["review_date"] = date_field("Review date", required=False)
        self.fields["end_date"] = date_field("End date (optional)", required=False)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("outcome", legend_size=Size.MEDIUM), Field.textarea("reason"),
            Fieldset(*term_layout, Field("review_date"), Field("end_date"),
                     legend="Terms (change them only if the outcome is varied)",
                     legend_size=Size.MEDIUM),
            Submit("submit", "Record the outcome"))

    def varied(self, restriction) -> Proposal:
        return proposal_from(self.cleaned_data, start_date=restriction.start_date,
                             grounds=restriction.grounds,
                             review_date=self.cleaned_data.get("review_date")
                             or restriction.review_date)


class FurtherActionForm(OneTimeKeyFormMixin, forms.Form):
    """13: a report to the police or legal action."""

    kind = forms.ChoiceField(label="Action", widget=forms.RadioSelect,
                             choices=FurtherActionKind.choices,
                             error_messages={"required": "Choose police report or legal action"})
    reference = forms.CharField(label="Reference", max_length=100,
                                help_text="The crime reference or claim number",
                                error_messages={"required": "Enter the reference"})
    taken_on = date_field("Date")
    taken_by = forms.ModelChoiceField(label="Who made the report or took the action",
                                      queryset=User.objects.none(),
                                      error_messages={"required": "Choose who"})
    notes = forms.CharField(label="Notes", required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["taken_by"].queryset = staff_choices()
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field.text("reference", field_width=Fluid.ONE_HALF), Field("taken_on"),
            Field.select("taken_by"), Field.textarea("notes"), Submit("submit", "Save"))


class TriageForm(forms.Form):
    outcome = forms.ChoiceField(label="Outcome", widget=forms.RadioSelect,
                                choices=TriageOutcome.choices,
                                error_messages={"required": "Choose an outcome"})
    no_new_information = forms.BooleanField(
        label="It holds no new information", required=False)
    no_safeguarding_concern = forms.BooleanField(
        label="It raises no safeguarding concern", required=False)
    note = forms.CharField(label="Note", required=False,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="Required if it needs action: say what and who.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("outcome", legend_size=Size.MEDIUM),
            Field.checkbox("no_new_information"), Field.checkbox("no_safeguarding_concern"),
            Field.textarea("note"), Submit("submit", "Sign off"))
