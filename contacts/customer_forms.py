"""The customer details form (create and edit). It parses input; the services validate."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import HTML, Field, Fieldset, Fluid, Hidden, Layout, Size, Submit
from django import forms

from contacts.constants import Language, PreferredChannel
from contacts.forms import FormHelper
from contacts.selectors import classify_query

LIST_HINT = "One on each line. "


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class CustomerForm(forms.Form):
    given_name = forms.CharField(label="First name", max_length=100, required=False)
    family_name = forms.CharField(label="Last name", max_length=100, required=False)
    preferred_name = forms.CharField(
        label="Name they prefer to be called (optional)", max_length=100, required=False,
        help_text="For example Liz for Elizabeth, or how they asked us to address them.")
    phones = forms.CharField(
        label="Phone numbers (optional)", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=LIST_HINT + "Any format, for example 07700 900 982 or +353 1 234 5678.")
    emails = forms.CharField(
        label="Email addresses (optional)", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}), help_text=LIST_HINT)
    address = forms.CharField(
        label="Postal address (optional)", required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Letters go to this address. One line each, without the postcode.")
    postcode = forms.CharField(label="Postcode (optional)", max_length=20, required=False)
    case_references = forms.CharField(
        label="Case references (optional)", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=LIST_HINT + "The case management system's reference, like RFA0123456.")
    preferred_language = forms.ChoiceField(
        label="Which language should letters be written in?", choices=Language.choices,
        widget=forms.RadioSelect, initial=Language.ENGLISH,
        error_messages={"required": "Select English or Welsh"})
    preferred_channel = forms.ChoiceField(
        label="How do they prefer us to contact them?", required=False,
        choices=[Choice("", "No preference recorded"),
                 *[Choice(c.value, c.label) for c in PreferredChannel]],
        widget=forms.RadioSelect, initial="")
    communication_needs = forms.CharField(
        label="Communication needs (optional)", required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="6.1: anything that may make it hard for them to use our services, such as "
                  "a hearing difficulty.")
    duplicates_seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, submit: str, confirm_duplicates: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(Field.text("given_name", field_width=Fluid.TWO_THIRDS),
                     Field.text("family_name", field_width=Fluid.TWO_THIRDS),
                     Field.text("preferred_name", field_width=Fluid.TWO_THIRDS),
                     legend="Name", legend_size=Size.MEDIUM),
            Fieldset(Field.textarea("phones"), Field.textarea("emails"),
                     Field.textarea("address"), Field.text("postcode", field_width=10),
                     legend="Contact details", legend_size=Size.MEDIUM),
            Field.textarea("case_references"),
            Field.radios("preferred_language", legend_size=Size.SMALL, inline=True),
            Field.radios("preferred_channel", legend_size=Size.SMALL),
            Field.textarea("communication_needs"),
            Hidden("duplicates_seen", self["duplicates_seen"].value() or ""),
            HTML(""),
            Submit("submit", "Save as a new customer anyway" if confirm_duplicates else submit),
        )

    def service_arguments(self) -> dict:
        """The cleaned input as the customer services' keyword arguments."""
        data = self.cleaned_data
        return {
            "given_name": data["given_name"], "family_name": data["family_name"],
            "preferred_name": data["preferred_name"], "address": data["address"],
            "postcode": data["postcode"], "preferred_language": data["preferred_language"],
            "preferred_channel": data["preferred_channel"],
            "communication_needs": data["communication_needs"],
            "phones": _lines(data["phones"]), "emails": _lines(data["emails"]),
            "case_references": _lines(data["case_references"]),
        }

    @staticmethod
    def initial_from_lookup(query: str) -> dict:
        """What was typed in the lookup, carried into the field it belongs in."""
        query = (query or "").strip()[:200]
        kind = classify_query(query)
        if kind == "phone":
            return {"phones": query}
        if kind == "email":
            return {"emails": query}
        if kind == "case_reference":
            return {"case_references": query.upper().replace(" ", "")}
        if kind == "name":
            words = query.split()
            if len(words) == 1:
                return {"family_name": words[0]}
            return {"given_name": words[0], "family_name": " ".join(words[1:])}
        return {}

    @staticmethod
    def initial_from_customer(customer) -> dict:
        return {
            "given_name": customer.given_name, "family_name": customer.family_name,
            "preferred_name": customer.preferred_name, "address": customer.address,
            "postcode": customer.postcode, "preferred_language": customer.preferred_language,
            "preferred_channel": customer.preferred_channel,
            "communication_needs": customer.communication_needs,
            "phones": "\n".join(p.number for p in customer.phones.all()),
            "emails": "\n".join(e.email for e in customer.emails.all()),
            "case_references": "\n".join(c.reference for c in customer.case_references.all()),
        }


class CustomerImportForm(forms.Form):
    file = forms.FileField(label="Register file (CSV)",
                           help_text="UTF-8 CSV with a header row; see the file format.",
                           error_messages={"required": "Choose the CSV file to import"})
    dry_run = forms.BooleanField(label="Check the file only: import nothing", required=False,
                                 initial=True)
    skip_bad_rows = forms.BooleanField(
        label="Import the good rows even if some rows are bad", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(Field("file"), Field.checkbox("dry_run"),
                                    Field.checkbox("skip_bad_rows"),
                                    Submit("submit", "Import"))
