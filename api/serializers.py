"""Serializers for accounts (the other apps' serializers live in api/<app>.py)."""
from django.conf import settings
from rest_framework import serializers

from accounts.models import Association, User


class AssociationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Association
        fields = ["id", "name", "country", "city", "sector", "size"]


class MeSerializer(serializers.ModelSerializer):
    association = AssociationSerializer(read_only=True, allow_null=True)
    roles = serializers.SerializerMethodField()
    preferred_language = serializers.ChoiceField(choices=settings.LANGUAGES)

    class Meta:
        model = User
        fields = ["id", "email", "display_name", "preferred_language", "phone", "reminders_enabled", "association", "roles"]
        read_only_fields = ["id", "email", "association", "roles"]

    def get_roles(self, user: User) -> list[str]:
        roles = [name for name, flag in (("learner", user.is_learner), ("trainer", user.is_trainer), ("coach", user.is_coach)) if flag]
        if user.is_intermediary_staff:
            roles.append("intermediary_staff")
        if user.is_superuser:
            roles.append("admin")
        return roles
