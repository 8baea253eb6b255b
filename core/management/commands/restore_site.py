"""`manage.py restore_site <folder>`: put back a backup_site folder (database and media files).

Stop the web processes, the workers and beat first: the database and the media folder are replaced."""
import json
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from core.backup import database_kind, pg_environment


class Command(BaseCommand):
    help = "Restore the database and the media files from a backup_site folder (stop the site first)."

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, folder, **options):
        source = Path(folder)
        manifest_path = source / "manifest.json"
        if not manifest_path.is_file():
            raise CommandError(f"{source} is not a backup folder (no manifest.json).")
        manifest = json.loads(manifest_path.read_text())
        db = settings.DATABASES["default"]
        if database_kind(manifest["engine"]) != database_kind(db["ENGINE"]):
            raise CommandError(f"This backup is of {database_kind(manifest['engine'])}; this site uses "
                               f"{database_kind(db['ENGINE'])}.")
        connections.close_all()
        dump = source / manifest["database"]
        if db["ENGINE"].endswith("sqlite3"):
            backup = sqlite3.connect(dump)
            live = sqlite3.connect(db["NAME"])
            with live:
                backup.backup(live)
            live.close()
            backup.close()
        else:
            env, name = pg_environment(db)
            result = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                                     "--dbname", name, str(dump)], env=env, capture_output=True, text=True)
            if result.returncode:
                raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
        media = Path(settings.MEDIA_ROOT)
        if media.exists():
            shutil.rmtree(media)
        with tarfile.open(source / manifest["media"], "r:gz") as archive:
            archive.extractall(media.parent / ".restore-media", filter="data")
        extracted = media.parent / ".restore-media" / "media"
        if extracted.is_dir():
            media.parent.mkdir(parents=True, exist_ok=True)
            extracted.rename(media)
        shutil.rmtree(media.parent / ".restore-media", ignore_errors=True)
        self.stdout.write(f"Restored {source} ({sum(manifest['counts'].values())} rows when it was taken).")
