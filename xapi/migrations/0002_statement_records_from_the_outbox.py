"""Statements sent before StatementRecord existed are in the outbox (key "xapi:<id>", the statement in its
args, actor "user-<id>"): record them, so that an erasure voids them too (accounts erased before
this migration are left as they were)."""
from django.conf import settings
from django.db import migrations

TASK = "xapi.tasks.xapi_statement_send_task"


def backfill(apps, schema_editor):
    OutboxMessage = apps.get_model("core", "OutboxMessage")
    StatementRecord = apps.get_model("xapi", "StatementRecord")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    found = {}
    for args in OutboxMessage.objects.filter(task=TASK).values_list("args", flat=True).iterator():
        statement = args[0] if args and isinstance(args[0], dict) else {}
        name = (statement.get("actor") or {}).get("account", {}).get("name", "")
        if name.startswith("user-") and name[5:].isdigit() and statement.get("id"):
            found[statement["id"]] = int(name[5:])
    # Not for accounts erased already: their erasure is done, and the records would link them to statements again.
    users = set(User.objects.filter(pk__in=set(found.values()), erased_at__isnull=True).values_list("pk", flat=True))
    StatementRecord.objects.bulk_create([StatementRecord(statement_id=sid, user_id=uid) for sid, uid in found.items()
                                         if uid in users], batch_size=500, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("xapi", "0001_statement_records"),
        ("core", "0001_outbox_deliveries_heartbeat"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
