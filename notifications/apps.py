from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Reminders and notifications"

    def ready(self) -> None:

        from core import demo
        from notifications import kinds
        from notifications.demo import load_notifications

        # A plain notice with no escalation: for messages that need no follow-up.
        kinds.register(kinds.Kind(name="general", label="Notice"))
        # The inbox is linked from the header on every page, with its unread count (issue 24).
        demo.register(90, load_notifications)
