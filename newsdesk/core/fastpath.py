"""Fast paths: a few tiny, very frequent endpoints served before Django's middleware stack.

``NEWSDESK_FAST_PATHS = {"/readership/view": "newsdesk.readership.beacon.wsgi_view"}`` maps an
exact path to a plain WSGI application (a dotted path, imported on first use). Such an endpoint
gets no sessions, CSRF, security headers or page cache: it must set its own headers and manage
its own database connections. Everything else goes to Django untouched.
"""

from django.conf import settings
from django.utils.module_loading import import_string


class FastPaths:
    def __init__(self, application, routes: dict[str, str] | None = None):
        self.application = application
        self.routes = dict(
            routes if routes is not None else getattr(settings, "NEWSDESK_FAST_PATHS", {})
        )
        self.handlers: dict[str, object] = {}

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path in self.routes:
            handler = self.handlers.get(path)
            if handler is None:
                handler = self.handlers[path] = import_string(self.routes[path])
            return handler(environ, start_response)
        return self.application(environ, start_response)
