"""manage.py import_content [PATH] [--dry-run] [--publish] [--overwrite]: the curriculum files into the database."""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses.content_files import content_import, content_read


class Command(BaseCommand):
    help = ("Check every file of a content folder (docs/content-format.md), then import it in one transaction. "
            "Prints every problem as path:line: message and imports nothing if there is one.")

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=None, help="The content folder (default: settings.CONTENT_DIR).")
        parser.add_argument("--dry-run", action="store_true", help="Check and report what would change, write nothing.")
        parser.add_argument("--publish", action="store_true",
                            help="Publish every imported module that was never published and is complete.")
        parser.add_argument("--overwrite", action="store_true",
                            help="Let the files win over texts last changed on the web (see docs/content-format.md).")

    def handle(self, *args, path=None, dry_run=False, publish=False, overwrite=False, **options):
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            # The topics and the content tables come from migrations: checking against an old schema misleads.
            raise CommandError("The database is not up to date: run `manage.py migrate` first, then import again.")
        root = Path(path) if path else Path(settings.CONTENT_DIR)
        plan = content_read(root)
        if plan.problems:
            for problem in plan.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(plan.problems)} problem(s) found: nothing was imported. Fix them and run the import again.")
        verbose = options.get("verbosity", 1) >= 1
        lessons = sum(len(module.lessons) for module in plan.modules)
        if verbose:
            self.stdout.write(f"Checked {len(plan.modules)} module(s), {lessons} lesson(s): no problem.")
        report = content_import(plan, publish=publish and not dry_run, dry_run=dry_run, overwrite=overwrite,
                                progress=(lambda message: self.stdout.write(message)) if verbose else None)
        for warning in report.warnings:
            self.stderr.write(f"{warning} (warning)")
        for slug in report.published:
            self.stdout.write(f"Published {slug}.")
        for slug, problems in report.not_published.items():
            self.stdout.write(f"Not published {slug}: {len(problems)} item(s) missing (see the module's page).")
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + report.summary))
