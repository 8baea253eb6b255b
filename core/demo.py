"""Helpers shared by the per-app demo seeders."""
from django.conf import settings


def demo_password() -> str:
    return settings.ESSOR_DEMO_PASSWORD
