"""Page-cache hits answered before Django's request handling.

Most requests are anonymous readers asking for a page that is already cached. Django's full
handler (URL resolving, a dozen middlewares) costs more than the cache lookup itself, so this
WSGI wrapper looks the page up first and answers hits directly; everything else — misses,
personal requests, writes, the admin — goes to Django unchanged, where the page-cache middleware
stores what it renders. Both paths share the same key, entry and response code.

A hit still passes through the middlewares listed before the page cache in ``MIDDLEWARE``
(security headers, HTTPS redirect, conditional GET): they are built here once, around the hit,
so a hit answered here carries exactly the headers Django's own path would give it.
"""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.http import parse_cookie
from django.utils.module_loading import import_string

from . import cache as page_cache
from .middleware import UNCACHED_PREFIXES, hit_response, personal_cookies

PAGE_CACHE_MIDDLEWARE = "newsdesk.delivery.middleware.PageCacheMiddleware"
CONDITIONAL_GET_MIDDLEWARE = "django.middleware.http.ConditionalGetMiddleware"
# Without any of these a conditional-GET middleware leaves a hit as it is (a hit always has its
# ETag): hits without them skip it, a tenth of a hit's cost (it parses Last-Modified each time).
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def serve_hit(request):
    return hit_response(request, request.page_cache_entry)


def outer_middlewares(inner=serve_hit, conditional=True):
    """``inner`` wrapped in the middlewares that come before the page cache in ``MIDDLEWARE``,
    in the same order, as Django's handler would wrap the page cache (without the conditional-
    GET middleware when ``conditional`` is false)."""
    names = list(settings.MIDDLEWARE)
    handler = inner
    for name in reversed(names[: names.index(PAGE_CACHE_MIDDLEWARE)]):
        if conditional or name != CONDITIONAL_GET_MIDDLEWARE:
            handler = import_string(name)(handler)
    return handler


class PageCacheApp:
    def __init__(self, application):
        self.application = application
        self.serve_conditional = outer_middlewares()
        self.serve = outer_middlewares(conditional=False)

    def __call__(self, environ, start_response):
        if (
            environ.get("REQUEST_METHOD") in ("GET", "HEAD")
            and not environ.get("PATH_INFO", "").startswith(UNCACHED_PREFIXES)
            and not (
                "HTTP_COOKIE" in environ
                and personal_cookies() & parse_cookie(environ["HTTP_COOKIE"]).keys()
            )
        ):
            request = WSGIRequest(environ)
            try:
                entry = page_cache.fetch(request)
            except DisallowedHost:
                entry = None  # Django answers it properly (400)
            if entry is not None:
                request.page_cache_entry = entry
                conditional = any(name in environ for name in CONDITIONAL_HEADERS)
                response = (self.serve_conditional if conditional else self.serve)(request)
                start_response(
                    f"{response.status_code} {response.reason_phrase}",
                    [
                        *response.items(),
                        *(("Set-Cookie", c.output(header="")) for c in response.cookies.values()),
                    ],
                )
                if response.streaming:  # not a hit after all (a static file): as Django sends it
                    return response
                return [response.content]
        return self.application(environ, start_response)
