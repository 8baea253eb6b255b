"""`manage.py site_counts`: rows per table as JSON (compare a site before a backup and after a restore)."""
import json

from django.core.management.base import BaseCommand
from django.db import connection

from core.backup import row_counts


class Command(BaseCommand):
    help = "Print the number of rows of every table as JSON."

    def handle(self, **options):
        self.stdout.write(json.dumps(row_counts(connection), indent=1, sort_keys=True))
