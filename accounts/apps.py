from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Staff and departments"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.lockout import password_sign_in_completed
        from accounts.rules import is_administrator
        from accounts.security import mark_session_start
        from core import navigation

        user_logged_in.connect(mark_session_start, dispatch_uid="accounts.session_start")
        user_logged_in.connect(password_sign_in_completed,
                               dispatch_uid="accounts.password_sign_in_completed")
        navigation.register(navigation.NavItem("Departments", "accounts:departments",
                                               is_administrator, order=90,
                                               section=navigation.ADMINISTRATION,
                                               description=("Departments, their Heads and "
                                                            "acting Heads (7.2, 12.1).")))
        from accounts import session_floor  # noqa: F401 - role changes bump roles_version
        from accounts.sso import checks  # noqa: F401 - registers the system checks
        from accounts.sso.views import forget_second_factor

        user_logged_in.connect(forget_second_factor, dispatch_uid="accounts.sso_second_factor")
