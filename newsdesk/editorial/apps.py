from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "newsdesk.editorial"
    label = "editorial"
    verbose_name = "Newsroom"

    def ready(self):
        from . import signal_handlers  # noqa: F401
