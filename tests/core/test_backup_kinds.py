"""restore_site takes a backup of the same kind of database, whichever backend module wrote it."""
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from core.backup import database_kind


def test_the_kind_of_database_does_not_depend_on_the_backend_module():
    assert database_kind("django.db.backends.sqlite3") == database_kind("core.db.sqlite3") == "SQLite"
    assert database_kind("django.db.backends.postgresql") == "PostgreSQL"
    assert database_kind("some.other.backend") == "some.other.backend"


@pytest.mark.django_db
def test_a_backup_of_the_other_kind_of_database_is_refused_before_anything_is_touched(tmp_path):
    other = "django.db.backends.postgresql" if connection.vendor == "sqlite" else "django.db.backends.sqlite3"
    (tmp_path / "manifest.json").write_text(json.dumps({"engine": other, "database": "x", "media": "y", "counts": {}}))
    with pytest.raises(CommandError, match=f"This backup is of {database_kind(other)}; this site uses"):
        call_command("restore_site", str(tmp_path))
    assert connection.introspection.table_names()  # the database is still there
