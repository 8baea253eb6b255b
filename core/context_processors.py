"""Values every page needs: the languages and the navigation for the user's roles."""
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# (url name, label, who sees it). A URL that an app has not built yet is simply not shown.
NAVIGATION = [
    ("learners:catalogue", _("Modules"), "all"),
    ("learners:dashboard", _("My learning"), "learner"),
    ("courses:trainer-modules", _("Authoring"), "trainer"),
    ("cohorts:list", _("Cohorts"), "staff"),
    ("coaching:home", pgettext_lazy("navigation", "Coaching"), "coaching"),
    ("impact:home", _("Impact"), "impact"),
    ("admin:index", _("Administration"), "admin"),
]


def _visible(user, who: str) -> bool:
    if who == "all":
        return True
    if not user.is_authenticated:
        return False
    # Each check runs only for its own item: the network staff one is a query.
    return {
        "learner": lambda: user.is_learner,
        "trainer": lambda: user.is_trainer or user.is_superuser,
        "staff": lambda: user.is_intermediary_staff or user.is_superuser,
        "coaching": lambda: user.is_coach or user.is_learner or user.is_intermediary_staff or user.is_superuser,
        "admin": lambda: user.is_staff,
        "impact": lambda: user.is_intermediary_staff or user.is_superuser or _is_network_staff(user),
    }[who]()


def _is_network_staff(user) -> bool:
    # Asked only of users with no other role, so that learners' pages keep their query budgets; once a request.
    if user.is_learner or user.is_trainer or user.is_coach:
        return False
    if not hasattr(user, "_is_network_staff"):
        user._is_network_staff = user.network_memberships.exists()
    return user._is_network_staff


def essor(request):
    user = request.user
    items = []
    for name, label, who in NAVIGATION:
        if not _visible(user, who):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": False})
    # The current page is the item with the longest address the path starts with (/learn/dashboard/ is "My learning",
    # not also "Modules" at /learn/).
    current = max((item for item in items if item["url"] != "/" and request.path.startswith(item["url"])),
                  key=lambda item: len(item["url"]), default=None)
    if current:
        current["active"] = True
    return {
        "nav_items": items,
        "open_signup": settings.ESSOR_OPEN_SIGNUP,
        "demo_mode": settings.DEMO,
        # The language menu names each language in itself (settings.LANGUAGES), never translated ("Anglais").
        "language_menu": settings.LANGUAGES,
    }
