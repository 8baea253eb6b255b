"""Demo accounts, one per role, plus an intermediary and a few associations."""
from django.utils import timezone

from core.demo import demo_password

from .models import Association, Intermediary, IntermediaryStaff, User

DEMO_USERS = [
    # key, email, name, language, flags
    ("learner", "learner@essor.demo", "Amina Diallo", "fr", {"is_learner": True}),
    ("learner_zh", "xuesheng@essor.demo", "王芳", "zh-hans", {"is_learner": True}),
    ("trainer", "trainer@essor.demo", "Claire Martin", "fr", {"is_trainer": True}),
    ("staff", "staff@essor.demo", "李明", "zh-hans", {"is_trainer": True}),
    ("coach", "coach@essor.demo", "Julien Bernard", "fr", {"is_coach": True}),
    ("admin", "admin@essor.demo", "Admin Essor", "en", {"is_staff": True, "is_superuser": True}),
]

ROLE_LABELS = {
    "learner": "learner (fr)",
    "learner_zh": "learner (zh-hans)",
    "trainer": "trainer",
    "staff": "intermediary staff",
    "coach": "coach",
    "admin": "admin",
}


DEMO_PHONE = "+8613800000001"


def seed(context: dict, stdout=None) -> None:
    intermediary, _ = Intermediary.objects.get_or_create(
        slug="centre-benevolat-demo",
        defaults={"name": "Centre de bénévolat — démo", "kind": Intermediary.Kind.VOLUNTEER_CENTRE, "country": "FR", "city": "Lyon"},
    )
    associations = {
        "learner": Association.objects.get_or_create(
            name="Les Jardins Partagés de la Croix-Rousse", defaults={"country": "FR", "city": "Lyon", "sector": "environnement"}
        )[0],
        "learner_zh": Association.objects.get_or_create(
            name="阳光社区助老服务社", defaults={"country": "CN", "city": "成都", "sector": "社区养老"}
        )[0],
    }
    users = {}
    for key, email, name, language, flags in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            # Demo accounts stand for people who verified their email (publishing text needs it); the
            # Chinese learner also logs in with her phone number (/accounts/phone/, code in var/sms/).
            extra = {"phone": DEMO_PHONE, "phone_verified_at": timezone.now()} if key == "learner_zh" else {}
            user = User.objects.create_user(email=email, password=demo_password(), display_name=name,
                                            preferred_language=language, association=associations.get(key),
                                            email_verified_at=timezone.now(), **extra, **flags)
        users[key] = user
    IntermediaryStaff.objects.get_or_create(intermediary=intermediary, user=users["staff"], defaults={"is_manager": True})
    context["users"] = users
    context["intermediary"] = intermediary
    context["logins"] = [(ROLE_LABELS[key], users[key].email) for key, *_rest in DEMO_USERS]
