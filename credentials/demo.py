"""Demo data of the credentials app: the demo intermediary's issuer profile (logo, website), so that the
certificates of its cohort show its logo. Runs right after the accounts seeder, before any certificate is
issued; idempotent."""
from pathlib import Path

from django.core.files import File

from accounts.models import Intermediary

from .models import IssuerProfile

LOGO = Path(__file__).resolve().parent / "demo_assets" / "centre-benevolat-logo.png"


def seed(context: dict, stdout=None) -> None:
    intermediary = Intermediary.objects.filter(slug="centre-benevolat-demo").first()
    if intermediary is None:
        return
    profile, _created = IssuerProfile.objects.get_or_create(
        intermediary=intermediary, defaults={"website": "https://benevolat.example.org", "email": "contact@benevolat.example.org"})
    if not profile.logo:
        with LOGO.open("rb") as handle:
            profile.logo.save("centre-benevolat-demo.png", File(handle), save=True)
    if stdout is not None:
        stdout.write("Credentials: the demo intermediary's issuer profile is ready.")
