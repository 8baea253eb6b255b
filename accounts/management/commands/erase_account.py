"""Erase an account on a person's written request (the privacy contact): the same erasure as
"Delete my account" (accounts/data_rights/erasure.py). Dry run unless --yes."""
from django.core.management.base import BaseCommand, CommandError

from accounts.data_rights import account_erase
from accounts.models import User


class Command(BaseCommand):
    help = "Erase the account with this email address (GDPR/PIPL erasure), as 'Delete my account' does."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--yes", action="store_true", help="Really erase (without it, only say what would be erased).")

    def handle(self, *args, email, yes, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account has the address {email!r}.")
        if not yes:
            self.stdout.write(f"Would erase account #{user.pk}. Run again with --yes to erase it.")
            return
        result = account_erase(user=user)
        if result.get("already_erased"):
            self.stdout.write(f"Account #{user.pk} was already erased.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Account #{user.pk} erased."))
