"""The engine's full-text structure over the index rows: an FTS5 table and its triggers on SQLite,
a GIN index on PostgreSQL (search/backends.py). The rows themselves come from `search_reindex`."""
from django.db import migrations


def create(apps, schema_editor):
    from search import backends

    backends.schema_create(schema_editor.connection)
    backends.schema_rebuild(schema_editor.connection)


def drop(apps, schema_editor):
    from search import backends

    backends.schema_drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_document")]

    operations = [migrations.RunPython(create, drop)]
