"""Load demo data: staff for every role, departments and (as apps land) customers."""

import os

from django.core.management.base import BaseCommand

from accounts.demo import load_staff
from accounts.enrolment import ENROLMENT_CODE_HOURS, enrolment_code_issue
from accounts.models import User
from accounts.security import confirmed_device, two_factor_required
from core.demo import loaders


class Command(BaseCommand):
    help = "Create or refresh demo data and print the demo sign-ins. Safe to run again."

    def handle(self, *args, **options) -> None:
        password = os.environ.get("DEMO_PASSWORD", "demo-password-2026")
        users = load_staff(password=password)
        for loader in loaders():
            loader()
        self.stdout.write(self.style.SUCCESS(f"Demo sign-ins (password for all: {password})"))
        for demo in users:
            roles = ", ".join(str(r) for r in demo.roles)
            self.stdout.write(f"  {demo.username:<12} {roles}")
        self._enrolment_codes(users)

    def _enrolment_codes(self, users) -> None:
        """Two-factor users without an authenticator get a one-time enrolment code (as an
        administrator would issue): entered after the password, before the QR code."""
        codes = []
        for demo in users:
            user = User.objects.get(username=demo.username)
            if two_factor_required(user) and confirmed_device(user) is None:
                codes.append((demo.username, enrolment_code_issue(user=user, issued_by=None)))
        if codes:
            self.stdout.write(self.style.SUCCESS(
                f"Two-factor enrolment codes (each works once, for {ENROLMENT_CODE_HOURS} "
                "hours; run `make demo` again for new ones):"))
            for username, code in codes:
                self.stdout.write(f"  {username:<12} {code}")
