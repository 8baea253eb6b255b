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
    phone = serializers.CharField(read_only=True, allow_null=True, help_text="E.164, set and verified with an SMS code.")
    phone_verified = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "display_name", "preferred_language", "phone", "phone_verified", "notification_channel",
                  "reminders_enabled", "association", "roles"]
        # The phone number changes only with a code sent to it (/accounts/phone/add/).
        read_only_fields = ["id", "email", "phone", "association", "roles"]

    def get_phone_verified(self, user: User) -> bool:
        return bool(user.sms_number)

    def get_roles(self, user: User) -> list[str]:
        roles = [name for name, flag in (("learner", user.is_learner), ("trainer", user.is_trainer), ("coach", user.is_coach)) if flag]
        if user.is_intermediary_staff:
            roles.append("intermediary_staff")
        if user.is_superuser:
            roles.append("admin")
        return roles
