from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = pgettext_lazy("noun", "Search")

    def ready(self) -> None:
        from . import signals  # noqa: F401
