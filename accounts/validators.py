"""Password validators whose messages Essor translates itself: Django 5.2 changed the minimum-length message
and its fr and zh-hans catalogues still carry the old one (the message would show in English)."""
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext("This password is too short: use at least %(count)d character.",
                        "This password is too short: use at least %(count)d characters.",
                        self.min_length) % {"count": self.min_length}

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short",
                                  params={"min_length": self.min_length})

    def get_help_text(self) -> str:
        return ngettext("Your password must contain at least %(count)d character.",
                        "Your password must contain at least %(count)d characters.",
                        self.min_length) % {"count": self.min_length}
