"""Staff welfare (2.2, 8.2, 14.2). The records are about ``caseworker``."""

from django.utils import timezone

from tests.security.permission_matrix import ALL, CHAIN
from tests.security.service_matrix import Acts, Read, System
from welfare import services as s

SERVICES = {
    "welfare.services.follow_up_key": Read("the due item's key"),
    "welfare.services.distress_key": Read("the due item's key"),
    "welfare.services.welfare_follow_up_schedule": System(
        "called by calllog_review and the contact-ended hook after their own actor checks"),
    "welfare.services.welfare_on_contact_ended": System(
        "core.extensions.contact_ended hook, after contact_end checked its actor"),
    "welfare.services.welfare_follow_up_complete": Acts(
        CHAIN, lambda w, a: s.welfare_follow_up_complete(
            follow_up=w.follow_up, actor=a, held_on=timezone.localdate(),
            effect_on_staff="Shaken", support_offered="Time off the phones",
            employee_assistance_referral=False)),
    # 2.2: anyone raises a flag about themselves (the service takes no other person)
    "welfare.services.distress_flag_raise": Acts(
        ALL, lambda w, a: s.distress_flag_raise(staff=a, note="Upset after a call"),
        why="those with no manager above them are told to speak to any senior manager",
        invalid_for=frozenset({"hod", "other_hod", "compliance", "admin", "superuser"})),
    "welfare.services.distress_flag_acknowledge": Acts(
        CHAIN, lambda w, a: s.distress_flag_acknowledge(
            flag=w.distress_flag, actor=a, action_taken="We talked it through.")),
}
