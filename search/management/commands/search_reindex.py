"""manage.py search_reindex [--if-stale]: rebuild the search index from the stored texts."""
from django.core.management.base import BaseCommand

from search.services import search_index_is_stale, search_reindex


class Command(BaseCommand):
    help = ("Rebuild the search index of every module and lesson translation from the stored texts, in one "
            "transaction. Saving a translation keeps its row fresh; run this after an upgrade that changes the analysis, "
            "or on a database filled before search existed.")

    def add_arguments(self, parser):
        parser.add_argument("--if-stale", action="store_true",
                            help="Only rebuild if the index is missing rows or was built by another version of the analysis.")

    def handle(self, *args, if_stale=False, **options):
        if if_stale and not search_index_is_stale():
            if options.get("verbosity", 1) >= 1:
                self.stdout.write("The search index is up to date.")
            return
        report = search_reindex()
        self.stdout.write(self.style.SUCCESS(
            f"Indexed {report.documents} documents ({report.modules} module texts, {report.lessons} lesson texts) "
            f"in {report.seconds:.2f} s."))
