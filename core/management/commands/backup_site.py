"""`manage.py backup_site <folder>`: the database and the media files, in a folder of their own.

SQLite: a consistent copy through SQLite's online backup (safe while the site runs). PostgreSQL:
pg_dump's custom format. Media (lesson images): a tar.gz. A manifest.json says what is inside. Export
files (deleted after a few days anyway), the broker's folder and the demo secret key are not saved."""
import json
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.backup import pg_environment, row_counts


class Command(BaseCommand):
    help = "Back up the database and the media files into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A folder that does not exist yet (or is empty).")

    def handle(self, folder, **options):
        target = Path(folder)
        if target.exists() and any(target.iterdir()):
            raise CommandError(f"{target} is not empty: give a new folder for each backup.")
        target.mkdir(parents=True, exist_ok=True)
        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3"):
            database_file = "database.sqlite3"
            source = sqlite3.connect(db["NAME"])
            copy = sqlite3.connect(target / database_file)
            with copy:
                source.backup(copy)
            copy.close()
            source.close()
        elif db["ENGINE"].endswith("postgresql"):
            database_file = "database.pgdump"
            env, name = pg_environment(db)
            result = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target / database_file), name],
                                    env=env, capture_output=True, text=True)
            if result.returncode:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            raise CommandError(f"Backups of {db['ENGINE']} are not supported: use the database's own tools.")
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(target / "media.tar.gz", "w:gz") as archive:
            if media.is_dir():
                archive.add(media, arcname="media")
        manifest = {"created_at": datetime.now(UTC).isoformat(), "engine": db["ENGINE"], "database": database_file,
                    "media": "media.tar.gz", "counts": row_counts(connection)}
        (target / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
        self.stdout.write(f"Backed up to {target} ({sum(manifest['counts'].values())} rows).")
