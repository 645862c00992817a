from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "newsdesk.delivery"
    label = "delivery"
    verbose_name = "Delivery (page cache)"

    def ready(self):
        from . import signal_handlers  # noqa: F401
