from django.apps import AppConfig


class ReadershipConfig(AppConfig):
    name = "newsdesk.readership"
    label = "readership"
    verbose_name = "Readership (views and trending)"

    def ready(self):
        from . import signal_handlers  # noqa: F401
