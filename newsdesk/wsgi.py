"""WSGI entry point for gunicorn and other WSGI servers."""

import os

from django.core.wsgi import get_wsgi_application

from newsdesk.__main__ import settings_module

os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())
application = get_wsgi_application()

from newsdesk.core.fastpath import FastPaths  # noqa: E402 - needs the settings configured above

application = FastPaths(application)
