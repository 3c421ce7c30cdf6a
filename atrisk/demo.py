"""Demo data (order 50): a duty rota for ``senior`` and one acknowledged report with a
disclosure. Safe to run again."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from atrisk import services
from atrisk.constants import Consent, EmergencyAdvice, RecipientType, Source, ThreatType
from atrisk.models import AtRiskReport, DutyRota

DEMO_MARKER = "Demo: the caller said they had nothing left to live for."


def load_demo() -> None:
    senior = User.objects.filter(username="senior").first()
    caseworker = User.objects.filter(username="caseworker").first()
    if senior is None or caseworker is None:
        return
    now = timezone.now()
    admin = User.objects.filter(username="admin").first()  # the rota is the administrator's
    if admin and not DutyRota.objects.filter(senior=senior, ends_at__gt=now).exists():
        start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        services.duty_rota_save(
            rota=DutyRota(senior=senior, starts_at=start, ends_at=start + timedelta(days=7),
                          note="Demo rota"),
            actor=admin,
        )
    if AtRiskReport.objects.filter(what_was_said=DEMO_MARKER).exists():
        return
    from contacts.models import Customer

    report = services.report_raise(
        raised_by=caseworker, source=Source.TELEPHONE, threat_type=ThreatType.SELF_HARM,
        what_was_said=DEMO_MARKER, threat_made_at=now - timedelta(hours=2),
        emergency_advice=EmergencyAdvice.ADVISED, caller_name="Demo caller",
        location_given="Said they were at home", customer=Customer.objects.first(),
    )
    services.report_acknowledge(report=report, actor=senior)
    services.disclosure_record(
        report=report, actor=senior,
        necessity="The caller described a plan and a time; there was a risk to life.",
        less_intrusive_options="We suggested they call 999 themselves; they would not.",
        consent=Consent.REFUSED,
        consent_explanation="Asking again would have delayed help with a life at risk.",
        recipient_type=RecipientType.POLICE, recipient_authority="Demo Police control room",
        what_was_disclosed="Name, phone number and the location given.",
        disclosed_at=now - timedelta(hours=1), authorised_by=senior,
    )
