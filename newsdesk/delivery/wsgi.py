"""Page-cache hits answered before Django's request handling.

Most requests are anonymous readers asking for a page that is already cached. Django's full
handler (URL resolving, a dozen middlewares) costs more than the cache lookup itself, so this
WSGI wrapper looks the page up first and answers hits directly; everything else — misses,
personal requests, writes, the admin — goes to Django unchanged, where the page-cache middleware
stores what it renders. Both paths share the same key, entry and response code.
"""

from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.http import parse_cookie

from . import cache as page_cache
from .middleware import UNCACHED_PREFIXES, hit_response, personal_cookies


class PageCacheApp:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if (
            environ.get("REQUEST_METHOD") in ("GET", "HEAD")
            and not environ.get("PATH_INFO", "").startswith(UNCACHED_PREFIXES)
            and not personal_cookies() & parse_cookie(environ.get("HTTP_COOKIE", "")).keys()
        ):
            request = WSGIRequest(environ)
            try:
                entry = page_cache.fetch(request)
            except DisallowedHost:
                entry = None  # Django answers it properly (400)
            if entry is not None:
                response = hit_response(request, entry)
                start_response(
                    f"{response.status_code} {response.reason_phrase}", list(response.items())
                )
                return [response.content]
        return self.application(environ, start_response)
