"""WSGI entry point for gunicorn and other WSGI servers."""

import os

from django.core.wsgi import get_wsgi_application

from newsdesk.__main__ import settings_module

os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module())
django_application = get_wsgi_application()

from newsdesk.core.fastpath import FastPaths  # noqa: E402 - needs Django set up
from newsdesk.delivery.wsgi import PageCacheApp  # noqa: E402

# Outermost: the tiny endpoints of NEWSDESK_FAST_PATHS (the view beacon); then page-cache hits;
# then Django.
application = FastPaths(PageCacheApp(django_application))
