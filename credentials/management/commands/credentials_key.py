"""Make a new Ed25519 signing key for ESSOR_CREDENTIALS_SIGNING_KEY, or show the published keys."""
from django.core.management.base import BaseCommand

from credentials import keys


class Command(BaseCommand):
    help = ("Print a new private key for ESSOR_CREDENTIALS_SIGNING_KEY (and its public key, for "
            "ESSOR_CREDENTIALS_RETIRED_KEYS after the next rotation). --show prints the keys the site publishes.")

    def add_arguments(self, parser):
        parser.add_argument("--show", action="store_true", help="Show the site's DID and its published public keys.")

    def handle(self, *args, **options):
        if options["show"]:
            self.stdout.write(f"DID: {keys.site_did()}")
            for number, key in enumerate(keys.published_keys()):
                self.stdout.write(f"{'signing' if number == 0 else 'retired'}: {key}")
            return
        private = keys.private_multibase_new()
        public = keys.public_multibase(keys._signing_key(private).private.public_key())
        self.stdout.write(f"ESSOR_CREDENTIALS_SIGNING_KEY={private}")
        self.stdout.write(f"# public key (add it to ESSOR_CREDENTIALS_RETIRED_KEYS when you rotate away from it): {public}")
