from django.apps import AppConfig


class MobileConfig(AppConfig):
    name = "newsdesk.mobile"
    label = "mobile"
    verbose_name = "Mobile version"

    def ready(self):
        from . import styles

        # Read and hash the inline stylesheet once, at start-up: every response then names the
        # same hash in its Content-Security-Policy, and a missing file stops the start at once.
        styles.load()
