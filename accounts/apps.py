from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Staff and departments"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.lockout import password_sign_in_completed
        from accounts.security import mark_session_start

        user_logged_in.connect(mark_session_start, dispatch_uid="accounts.session_start")
        user_logged_in.connect(password_sign_in_completed,
                               dispatch_uid="accounts.password_sign_in_completed")
