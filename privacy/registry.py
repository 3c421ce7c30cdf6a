"""The retention registry: one declaration for every model that holds personal data.

Each app declares its own models in ``<app>/retention.py`` (``register(RetentionRule(...))``)
beside its ``models.py``; ``PrivacyConfig.ready`` imports every such module. The same
declarations drive three things, so they cannot disagree about what is personal data:

- the retention run (``privacy.sweep``, ``manage.py apply_retention``): UK GDPR Art. 5(1)(e);
- the subject access bundle (``privacy.export``): Art. 15;
- the data map (``manage.py data_map`` writes ``docs/DATA_MAP.md``): Art. 30.

A model with no personal data that the introspection test would otherwise flag (a code
table, an aggregate) is declared with ``exempt(label, reason)`` instead, so the reason is
written down. ``tests/privacy/test_registry.py`` fails for any model with a text field, a
link to a customer or a member of staff, an email, a phone or a date of birth that has
neither.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q

ANONYMISE = "anonymise"
DELETE = "delete"

# Stable placeholders: the same value every time, so a second run finds nothing to do and a
# report that groups by a field still sees one value.
ANONYMISED_NAME = "Anonymised"
REMOVED_TEXT = "[removed: retention period ended]"

CUSTOMER = "customer"
STAFF = "staff"


@dataclass(frozen=True)
class RetentionRule:
    """How long one model's personal data is kept, and what happens to it at the end.

    ``period`` names an entry of ``settings.PRIVACY_RETENTION_DAYS``. The period runs from
    ``anchor`` (a date or datetime lookup such as ``"started_at"``, or a function of the
    cut-off returning a ``Q`` of the rows past it) or, with ``follows``, the row is due
    exactly when the record it belongs to is due (a handling step goes with its contact).
    ``customer`` is the lookup from this model to ``contacts.Customer``: holds (an open SAR,
    a legal hold, an appeal, a restriction in force...) are checked through it, and the
    subject access bundle selects rows by it.
    """

    model: str
    personal_fields: tuple[str, ...]
    period: str
    action: str
    purpose: str
    lawful_basis: str
    seen_by: tuple[str, ...]
    starts: str
    anchor: str | Callable[[dt.datetime], Q] | None = None
    follows: str | None = None
    customer: str | None = None
    subjects: tuple[str, ...] = (CUSTOMER,)
    source: str = "entered by staff"
    kept: Mapping[str, str] = field(default_factory=dict)
    placeholders: Mapping[str, object] = field(default_factory=dict)
    bundle: bool | None = None
    # For the subject access bundle (Art. 15(1)(c)): who a record shows the data went to,
    # and the letters it shows were sent; each a function of one record -> list of dicts.
    recipients: Callable[[models.Model], list[dict]] | None = None
    letters: Callable[[models.Model], list[dict]] | None = None
    # Where one record's data came from (Art. 15(1)(g)), from its own fields: the customer,
    # a staff member's contact log, another agency, an import. Without it the bundle uses the
    # record's first audit row (who created it) and then ``source``.
    record_source: Callable[[models.Model], str] | None = None
    # Rows that ``follows`` cannot reach because their parent link is empty (a case-file copy
    # about a caller no one identified): a function of the cut-off returning a ``Q`` of the
    # rows past the period counted from their own date, so nothing is kept for ever.
    orphans: Callable[[dt.datetime], Q] | None = None

    def __post_init__(self) -> None:
        if self.action not in (ANONYMISE, DELETE):
            raise ValueError(f"{self.model}: action must be {ANONYMISE!r} or {DELETE!r}")
        if (self.anchor is None) == (self.follows is None):
            raise ValueError(f"{self.model}: give exactly one of anchor and follows")

    @property
    def in_bundle(self) -> bool:
        """Whether the customer's subject access bundle holds these records (Art. 15)."""
        if self.bundle is not None:
            return self.bundle
        return CUSTOMER in self.subjects and self.customer is not None

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def days(self) -> int:
        return settings.PRIVACY_RETENTION_DAYS[self.period]

    def placeholder(self, name: str) -> object:
        """The value a personal field gets when the record is anonymised."""
        if name in self.placeholders:
            return self.placeholders[name]
        model_field = self.model_class._meta.get_field(name)
        if model_field.null:
            return None
        if isinstance(model_field, models.JSONField):
            return model_field.get_default()
        if model_field.blank:
            return ""
        max_length = getattr(model_field, "max_length", None) or len(REMOVED_TEXT)
        return REMOVED_TEXT[:max_length]

    def placeholder_values(self) -> dict[str, object]:
        return {name: self.placeholder(name) for name in self.personal_fields}


@dataclass(frozen=True)
class Exemption:
    """A model the introspection flags that holds no personal data, and why."""

    model: str
    reason: str


RULES: dict[str, RetentionRule] = {}
EXEMPT: dict[str, Exemption] = {}

# Conditions that hold everything about a customer back from the retention run: each is a
# function returning the held customers' ids (``X.objects.filter(...).values("customer_id")``)
# or a boolean expression on the customer (``Exists(...OuterRef("pk"))``); its docstring's
# first line (or a ``hold_label`` attribute) names it in the run's report.
HOLDS: list[Callable[[], models.Expression]] = []


def register(rule: RetentionRule) -> RetentionRule:
    if rule.model in RULES and RULES[rule.model] != rule:
        raise ValueError(f"{rule.model} already has a retention rule")
    RULES[rule.model] = rule
    return rule


def exempt(model: str, reason: str) -> None:
    EXEMPT[model] = Exemption(model, reason)


def register_hold(condition: Callable[[], models.Expression]) -> None:
    if condition not in HOLDS:
        HOLDS.append(condition)


def autodiscover() -> None:
    """Import every installed app's ``retention`` module (called by PrivacyConfig.ready)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("retention")


def hold_label(condition: Callable) -> str:
    label = getattr(condition, "hold_label", None)
    if label:
        return label
    return (condition.__doc__ or condition.__name__).strip().splitlines()[0]


def rule_for(model: type[models.Model] | str) -> RetentionRule | None:
    label = model if isinstance(model, str) else model._meta.label
    return RULES.get(label)


def rules() -> list[RetentionRule]:
    """Every rule, parents before the records that follow them, then by label."""
    return sorted(RULES.values(), key=lambda r: (depth(r), r.model))


def depth(rule: RetentionRule) -> int:
    """How many records up the ``follows`` chain goes (a log review: 2, via log, contact)."""
    steps, current = 0, rule
    while current.follows:
        steps, current = steps + 1, parent_rule(current)
    return steps


def parent_rule(rule: RetentionRule) -> RetentionRule:
    """The rule of the record ``rule`` follows."""
    related = rule.model_class._meta.get_field(rule.follows).related_model
    parent = RULES.get(related._meta.label)
    if parent is None:
        raise LookupError(f"{rule.model} follows {related._meta.label}, which has no rule")
    return parent


PERSONAL_NAME_HINTS = ("email", "phone", "birth", "mobile", "address", "postcode")


def may_hold_personal_data(model_field) -> bool:
    """Whether a field could hold personal data: free text, a link to a customer or a member
    of staff, or a name that says email, phone, birth, address..."""
    if getattr(model_field, "auto_created", False) or not getattr(model_field, "concrete", False):
        return False
    if model_field.is_relation:
        related = model_field.related_model
        label = related if isinstance(related, str) else getattr(related, "_meta", None) and (
            related._meta.label)
        return label in ("contacts.Customer", settings.AUTH_USER_MODEL)
    # "emailed_at", "email_sent" are times and flags, not an address.
    timestamp = isinstance(model_field, models.DateTimeField | models.BooleanField)
    if not timestamp and any(hint in model_field.name.lower() for hint in PERSONAL_NAME_HINTS):
        return True
    return isinstance(model_field, models.CharField | models.TextField) and not model_field.choices


def unaccounted(model: type[models.Model]) -> list[str]:
    """Fields of ``model`` that may hold personal data and that no declaration accounts for.

    Empty when the model is exempt, or its rule names every such field as personal, as kept
    (with a reason), or as the link the rule follows to its customer or parent record.
    """
    label = model._meta.label
    if label in EXEMPT:
        return []
    flagged = [f.name for f in model._meta.get_fields() if may_hold_personal_data(f)]
    rule = RULES.get(label)
    if rule is None:
        return [f"{label} has no retention rule (fields: {', '.join(flagged)})"] if flagged else []
    accounted = set(rule.personal_fields) | set(rule.kept)
    accounted |= {rule.follows, (rule.customer or "").split("__")[0]}
    return [f"{label}.{name} is neither personal nor kept in its rule"
            for name in flagged if name not in accounted]
