"""manage.py export_content [PATH] [--module SLUG ...]: the curriculum back into files, in canonical form."""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from courses.content_files import content_export
from courses.models import Module
from courses.selectors import module_publish_check


class Command(BaseCommand):
    help = "Write modules (every module that is not archived, by default) and the self-diagnostic as content files."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=None, help="The content folder (default: settings.CONTENT_DIR).")
        parser.add_argument("--module", action="append", dest="modules", metavar="SLUG", help="Export only this module (repeatable).")

    def handle(self, *args, path=None, modules=None, **options):
        root = Path(path) if path else Path(settings.CONTENT_DIR)
        selected = None
        if modules:
            selected = list(Module.objects.filter(slug__in=modules))
            unknown = sorted(set(modules) - {module.slug for module in selected})
            if unknown:
                raise CommandError(f"No module with the short name {', '.join(unknown)}.")
        result = content_export(root, modules=selected, include_diagnostic=not modules)
        for module in selected or Module.objects.exclude(status=Module.Status.ARCHIVED):
            missing = module_publish_check(module)
            if missing:
                self.stderr.write(f"{module.slug}: not complete yet ({len(missing)} item(s) missing); "
                                  "its files will not import until it is.")
        self.stdout.write(self.style.SUCCESS(
            f"{len(result['written'])} file(s) written, {len(result['removed'])} removed, "
            f"{len(result['unchanged'])} unchanged in {root}."))
