from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "newsdesk.syndication"
    label = "syndication"
    verbose_name = "Syndication (feeds, sitemaps, search-engine metadata)"

    def ready(self):
        from . import signal_handlers  # noqa: F401
