"""Register a system client from the command line (the same service as the Administrator's
screen): ``manage.py api_client_register --admin USERNAME --name NAME --kind telephony
--scopes lookup,calls``. Prints the key once."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from api.constants import ClientKind
from api.services import client_register


class Command(BaseCommand):
    help = "Register a system client for the integration API and print its key once."

    def add_arguments(self, parser):
        parser.add_argument("--admin", required=True,
                            help="username of the Administrator registering it")
        parser.add_argument("--name", required=True)
        parser.add_argument("--kind", choices=ClientKind.values, default=ClientKind.OTHER)
        parser.add_argument("--scopes", required=True, help="comma-separated, e.g. lookup,calls")
        parser.add_argument("--rate-limit", type=int, default=600,
                            help="requests a minute, at most")

    def handle(self, *args, **options):
        admin = get_user_model().objects.filter(username=options["admin"]).first()
        if admin is None:
            raise CommandError(f"No user {options['admin']!r}.")
        try:
            client, key = client_register(
                actor=admin, name=options["name"], kind=options["kind"],
                scopes=[s.strip() for s in options["scopes"].split(",") if s.strip()],
                rate_limit_per_minute=options["rate_limit"])
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        self.stdout.write(f"Registered {client.name} (id {client.pk}). Its key, shown once:")
        self.stdout.write(key)
