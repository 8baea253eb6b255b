"""Ids in paths and bodies: whole numbers in a range the database can store (never a 500 for a huge one)."""
from rest_framework import serializers

# 18 digits: below PostgreSQL's bigint and SQLite's INTEGER limits (2**63 - 1).
MAX_ID = 10**18 - 1
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


class IdConverter:
    """`<id:pk>` in a URL: 1 to 18 digits; anything else is a 404 before the view runs."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


def IdField(**kwargs) -> serializers.IntegerField:  # noqa: N802 (a field factory, named like a field)
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def IdListField(**kwargs) -> serializers.ListField:  # noqa: N802
    return serializers.ListField(child=IdField(), **kwargs)


def pk_related(queryset, **kwargs) -> serializers.PrimaryKeyRelatedField:
    """A PrimaryKeyRelatedField whose value is checked as an id first (a huge number is a 400)."""
    return serializers.PrimaryKeyRelatedField(queryset=queryset, pk_field=IdField(), **kwargs)
