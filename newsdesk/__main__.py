"""The ``newsdesk`` command: Django's manage.py verbs plus our own (demo, serve, worker, ...)."""

import os
import sys


def settings_module() -> str:
    """Production settings when NEWSDESK_ENV=production, the embedded default otherwise."""
    if os.environ.get("NEWSDESK_ENV", "").strip().lower() == "production":
        return "newsdesk.settings.production"
    return "newsdesk.settings.dev"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        sys.exit(f"newsdesk: configuration error: {error}")


if __name__ == "__main__":
    main()
