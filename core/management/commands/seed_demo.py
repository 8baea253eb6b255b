"""Create the demo accounts and the demo data of every app (demo mode only). Safe to run again."""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Create demo accounts for each role and demo data (only when ESSOR_DEMO=1). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Seed even when ESSOR_DEMO is off (tests, staging).")

    def handle(self, *args, **options):
        if not (settings.DEMO or options["force"]):
            raise CommandError("Demo data is only created in demo mode: set ESSOR_DEMO=1 (or pass --force).")
        context: dict = {}
        for dotted in settings.ESSOR_DEMO_SEEDERS:
            try:
                seeder = import_string(dotted)
            except ImportError:
                continue
            with transaction.atomic():
                seeder(context, stdout=self.stdout)
        logins = context.get("logins", [])
        if logins:
            self.stdout.write(self.style.SUCCESS("\nDemo accounts (password: %s)" % settings.ESSOR_DEMO_PASSWORD))
            for role, email in logins:
                self.stdout.write(f"  {role:<22} {email}")
