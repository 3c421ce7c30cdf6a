"""Every model with personal data has a retention rule (UK GDPR Art. 5(1)(e))."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test.utils import isolate_apps
from rules.permissions import permissions

from privacy import registry


def test_every_installed_model_that_may_hold_personal_data_is_declared():
    problems = [p for model in apps.get_models() for p in registry.unaccounted(model)]
    assert not problems, (
        "Declare a RetentionRule (or an exemption with its reason) in <app>/retention.py; "
        "see docs/DATA_PROTECTION.md:\n" + "\n".join(problems))


@isolate_apps("privacy")
def test_a_new_model_with_free_text_and_no_rule_is_caught():
    class Complaint(models.Model):
        kind = models.CharField(max_length=10, choices=[("a", "A")])  # a code: not flagged
        details = models.TextField()

        class Meta:
            app_label = "privacy"

        def __str__(self) -> str:
            return self.kind

    assert registry.unaccounted(Complaint) == [
        "privacy.Complaint has no retention rule (fields: details)"]


@isolate_apps("privacy")
@pytest.mark.parametrize("make_field", [
    lambda: models.ForeignKey(apps.get_model("contacts.Customer"), on_delete=models.CASCADE),
    lambda: models.ForeignKey(apps.get_model(settings.AUTH_USER_MODEL),
                              on_delete=models.CASCADE),
    lambda: models.DateField(),  # named date_of_birth below
])
def test_links_to_people_and_dates_of_birth_are_caught(make_field):
    name = "date_of_birth" if isinstance(make_field(), models.DateField) else "person"
    attrs = {name: make_field(), "__module__": __name__,
             "Meta": type("Meta", (), {"app_label": "privacy"})}
    model = type("Thing", (models.Model,), attrs)
    assert registry.unaccounted(model) == [f"privacy.Thing has no retention rule (fields: {name})"]


def test_a_field_left_out_of_a_rule_is_caught(monkeypatch):
    rule = registry.RULES["contacts.Contact"]
    trimmed = registry.RetentionRule(**{**rule.__dict__, "personal_fields": ("summary",)})
    monkeypatch.setitem(registry.RULES, "contacts.Contact", trimmed)
    problems = registry.unaccounted(apps.get_model("contacts.Contact"))
    assert "contacts.Contact.caller_name is neither personal nor kept in its rule" in problems


@pytest.mark.parametrize("rule", registry.rules(), ids=lambda r: r.model)
def test_each_rule_names_real_fields_a_period_and_permissions(rule):
    model = rule.model_class
    for name in (*rule.personal_fields, *rule.kept):
        model._meta.get_field(name)
    assert rule.period in settings.PRIVACY_RETENTION_DAYS
    for perm in rule.seen_by:
        assert perm in permissions, f"{perm} is not a declared permission"
    for name in rule.personal_fields:  # a placeholder the column accepts
        rule.placeholder(name)


@pytest.mark.django_db
@pytest.mark.parametrize("rule", registry.rules(), ids=lambda r: r.model)
def test_each_rule_queries_and_its_customer_lookup_works(rule):
    from django.utils import timezone

    from privacy import sweep

    assert sweep.pending(rule, timezone.now()).count() == 0
    if rule.customer:
        rule.model_class.objects.filter(**{rule.customer: 1}).count()


def test_holds_include_the_protected_cases():
    labels = {registry.hold_label(h) for h in registry.HOLDS}
    assert {"A subject access request is open", "A legal hold is in force",
            "An appeal is awaiting a decision", "The customer has an open case"} <= labels
