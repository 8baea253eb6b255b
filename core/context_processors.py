"""Values every page needs: the languages and the navigation for the user's roles."""
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
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


# The addresses of the frame of every page (templates/base.html: {{ site_urls.home }}, …), by key.
SITE_URLS = {"home": "core:home", "manifest": "core:web-manifest", "service_worker": "core:service-worker",
             "set_language": "accounts:set-language", "profile": "accounts:profile", "logout": "accounts:logout",
             "login": "accounts:login", "signup": "accounts:signup", "privacy": "privacy", "api_docs": "api-docs"}
_site_urls: dict[tuple, dict[str, str]] = {}


def site_urls() -> dict[str, str]:
    """SITE_URLS and the navigation's URL names, reversed once per process (and per URL prefix and URL
    configuration) instead of some twenty `reverse()` calls on every page (docs/performance.md). A name that
    an app has not built yet is left out."""
    key = (get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    urls = _site_urls.get(key)
    if urls is None:
        urls = {}
        for name, pattern in [*SITE_URLS.items(), *((name, name) for name, _label, _who in NAVIGATION)]:
            try:
                urls[name] = reverse(pattern)
            except NoReverseMatch:
                continue
        _site_urls[key] = urls
    return urls


def essor(request):
    user = request.user
    urls = site_urls()
    items = []
    for name, label, who in NAVIGATION:
        if name not in urls or not _visible(user, who):
            continue
        items.append({"url": urls[name], "label": label, "active": False})
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
        "site_urls": urls,
    }
