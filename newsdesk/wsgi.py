"""WSGI entry point for gunicorn and other WSGI servers."""

import os

from django.core.wsgi import get_wsgi_application

from newsdesk.__main__ import settings_module

os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())
django_application = get_wsgi_application()

from newsdesk.delivery.wsgi import PageCacheApp  # noqa: E402 - needs Django set up

application = PageCacheApp(django_application)
