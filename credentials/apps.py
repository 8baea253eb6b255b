from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "credentials"
    verbose_name = _("Credentials")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import keys

        # A malformed key in the environment stops the start-up with a clear message (like a missing one).
        keys.signing_key_check()
