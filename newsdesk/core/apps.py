from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "newsdesk.core"
    label = "core"
    verbose_name = "Newsdesk core"

    def ready(self):
        from . import restrictions, sites

        restrictions.connect()
        sites.connect()
