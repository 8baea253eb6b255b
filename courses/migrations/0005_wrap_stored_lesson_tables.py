"""Lesson HTML stored before tables scrolled in their own region: wrap each table (focusable, named) and
keep the amounts in its cells whole, as courses.rendering now does when a text is saved."""
from django.db import migrations


def upgrade(apps, schema_editor):
    from courses.rendering import stored_tables_upgrade

    LessonTranslation = apps.get_model("courses", "LessonTranslation")
    rows = LessonTranslation.objects.filter(body_html__contains="<table>").only("pk", "language", "body_html")
    for row in rows.iterator():
        html = stored_tables_upgrade(row.body_html, row.language)
        if html != row.body_html:
            LessonTranslation.objects.filter(pk=row.pk).update(body_html=html)


class Migration(migrations.Migration):
    dependencies = [("courses", "0004_add_template_files")]
    operations = [migrations.RunPython(upgrade, migrations.RunPython.noop)]
