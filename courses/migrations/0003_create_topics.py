"""The five topics of the curriculum, with their names in French, Chinese and English."""
from django.db import migrations

TOPICS = [
    # key, position, colour, icon, names
    ("finance", 1, "#0f5e57", "€", {"fr": "Finances", "zh-hans": "财务管理", "en": "Finance"}),
    ("volunteers", 2, "#b45309", "♥", {"fr": "Bénévoles", "zh-hans": "志愿者管理", "en": "Volunteers"}),
    ("strategy", 3, "#1d4f91", "◎", {"fr": "Stratégie", "zh-hans": "战略规划", "en": "Strategy"}),
    ("communication", 4, "#7a3e9d", "✎", {"fr": "Communication", "zh-hans": "传播与沟通", "en": "Communication"}),
    ("governance", 5, "#3f6212", "⚖", {"fr": "Gouvernance", "zh-hans": "治理", "en": "Governance"}),
]


def create_topics(apps, schema_editor):
    Topic = apps.get_model("courses", "Topic")
    for key, position, colour, icon, names in TOPICS:
        topic, created = Topic.objects.get_or_create(
            key=key, defaults={"position": position, "colour": colour, "icon": icon, "names": names})
        if not created:
            # Keep names a site may have added; fill the ones that are missing.
            topic.names = {**names, **(topic.names or {})}
            topic.save(update_fields=["names"])


class Migration(migrations.Migration):

    dependencies = [
        ("courses", "0002_add_translation_freshness_to_modules_and_questions"),
    ]

    operations = [
        migrations.RunPython(create_topics, migrations.RunPython.noop),
    ]
