from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "newsdesk.news"
    label = "news"
    verbose_name = "News"

    def ready(self):
        from . import signal_handlers  # noqa: F401
