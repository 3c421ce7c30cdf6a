from django.apps import AppConfig


class CallogsConfig(AppConfig):
    name = "callogs"
    verbose_name = "Terminated-call logs"

    def ready(self) -> None:
        from accounts.rules import is_line_manager, is_staff_member
        from callogs.constants import KIND_CALLLOG_DRAFT, KIND_CALLLOG_SUBMITTED
        from callogs.demo import load_demo_logs
        from callogs.extensions import terminated_log_actions, terminated_log_url
        from callogs.services import (
            calllog_follow_contact_correction,
            calllog_on_contact_ended,
            draft_escalate_to,
        )
        from core import demo, extensions, navigation
        from notifications import kinds

        # 8.2: a log not discussed within 5 working days (weekends and bank holidays not
        # counted: core.dates) goes up the author's chain (issue 17).
        kinds.register(kinds.Kind(
            name=KIND_CALLLOG_SUBMITTED, label="Terminated-call log to discuss",
            paragraph="8.1, 8.2", escalate_after=kinds.WorkingDays(5),
            completed_by="callogs.review_log",
        ))
        # 8.1: a draft never given to the line manager is reminded the next working day and,
        # a working day later still not given, escalated to the author's available manager.
        kinds.register(kinds.Kind(
            name=KIND_CALLLOG_DRAFT, label="Terminated-call log to give to your line manager",
            paragraph="8.1", escalate_after=kinds.WorkingDays(1),
            completed_by="callogs.submit_log", escalate_to=draft_escalate_to,
        ))
        if terminated_log_actions not in extensions.contact_actions:
            extensions.contact_actions.append(terminated_log_actions)
        if terminated_log_url not in extensions.terminated_log_urls:
            extensions.terminated_log_urls.append(terminated_log_url)
        if calllog_follow_contact_correction not in extensions.contact_corrected:
            extensions.contact_corrected.append(calllog_follow_contact_correction)
        if calllog_on_contact_ended not in extensions.contact_ended:
            extensions.contact_ended.append(calllog_on_contact_ended)
        navigation.register(navigation.NavItem(
            "Terminated-call logs", "callogs:my_logs", is_staff_member, order=40,
            section=navigation.CONTACTS, description="Your logs of calls you ended (8.1)."))
        navigation.register(navigation.NavItem(
            "Logs to review", "callogs:review_queue", is_line_manager, order=41,
            section=navigation.TEAM,
            description="Terminated-call logs your team has given you to review (8.2)."))
        demo.register(40, load_demo_logs)
