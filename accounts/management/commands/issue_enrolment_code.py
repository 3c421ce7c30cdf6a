"""Issue a two-factor enrolment code from the command line (for the first administrator)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.enrolment import ENROLMENT_CODE_HOURS, enrolment_code_issue
from accounts.models import User


class Command(BaseCommand):
    help = ("Issue a one-time two-factor enrolment code for a member of staff (removes their "
            "current authenticator). For whoever runs the servers; administrators use the "
            "Two-factor enrolment page.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}")
        code = enrolment_code_issue(user=user, issued_by=None)
        self.stdout.write(f"{code}  (works once, for {ENROLMENT_CODE_HOURS} hours)")
