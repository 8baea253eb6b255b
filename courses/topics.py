"""The five topics of the curriculum (also created by migration 0003_create_topics).

`topics_ensure()` puts them back where a database was emptied (tests that flush tables)."""
from .models import Topic

TOPICS = [
    # key, position, colour, icon, names
    ("finance", 1, "#0f5e57", "€", {"fr": "Finances", "zh-hans": "财务管理", "en": "Finance"}),
    ("volunteers", 2, "#b45309", "♥", {"fr": "Bénévoles", "zh-hans": "志愿者管理", "en": "Volunteers"}),
    ("strategy", 3, "#1d4f91", "◎", {"fr": "Stratégie", "zh-hans": "战略规划", "en": "Strategy"}),
    ("communication", 4, "#7a3e9d", "✎", {"fr": "Communication", "zh-hans": "传播与沟通", "en": "Communication"}),
    ("governance", 5, "#3f6212", "⚖", {"fr": "Gouvernance", "zh-hans": "治理", "en": "Governance"}),
]


def topics_ensure() -> None:
    for key, position, colour, icon, names in TOPICS:
        Topic.objects.get_or_create(key=key, defaults={"position": position, "colour": colour, "icon": icon, "names": names})
