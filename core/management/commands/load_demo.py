"""Load demo data: staff for every role, departments and (as apps land) customers."""

import os

from django.core.management.base import BaseCommand

from accounts.demo import load_staff
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
