from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "newsdesk.search"
    # Wagtail's own search app is labelled "wagtailsearch"; "search" alone reads as either.
    label = "newsdesk_search"
    verbose_name = "Search and related articles"

    def ready(self):
        from . import signal_handlers  # noqa: F401
