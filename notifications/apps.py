from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Reminders and notifications"

    def ready(self) -> None:
        import rules

        from core import demo, navigation
        from notifications import kinds
        from notifications.demo import load_notifications

        # A plain notice with no escalation: for messages that need no follow-up.
        kinds.register(kinds.Kind(name="general", label="Notice"))
        navigation.register(navigation.NavItem(
            "Notifications", "notifications:inbox", rules.is_authenticated, order=85))
        demo.register(90, load_notifications)
