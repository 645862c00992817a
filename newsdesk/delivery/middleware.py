"""Serves anonymous readers from the page cache and sets HTTP caching headers for fronts/CDNs.

What may be cached is decided twice. The request: a GET or HEAD with no session cookie and none
of the cookies apps declare personal (``NEWSDESK_PERSONAL_COOKIES``), outside the admin. The
response: a page that declared its tags (Wagtail pages do so automatically; a view sets
``request.cache_tags``), status 200, 302 (the phone version's redirect) or 404, no ``Set-Cookie``, no ``Vary: Cookie`` (a CSRF
token or anything personal in the page adds it) and nothing marked private.
"""

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date

from . import cache as page_cache
from .tags import tags_for_view

UNCACHED_PREFIXES = ("/admin/", "/healthz", "/documents/", "/static/", "/media/")


def personal_cookies() -> set[str]:
    return {settings.SESSION_COOKIE_NAME, *getattr(settings, "NEWSDESK_PERSONAL_COOKIES", ())}


def request_is_cacheable(request) -> bool:
    if request.method not in {"GET", "HEAD"} or request.path.startswith(UNCACHED_PREFIXES):
        return False
    return not personal_cookies() & set(request.COOKIES)


def response_is_cacheable(request, response) -> bool:
    if getattr(request, "cache_tags", None) is None or response.status_code not in {
        200,
        302,
        404,
    }:
        return False
    if response.streaming or response.cookies or "Set-Cookie" in response:
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",")}
    control = response.get("Cache-Control", "").lower()
    return "cookie" not in vary and not any(
        word in control for word in ("private", "no-store", "no-cache")
    )


def shared_cache_control() -> str:
    """Browsers revalidate (cheap, with the ETag); shared caches keep the page until purged."""
    return (
        f"public, max-age=0, s-maxage={page_cache_seconds_for_fronts()}, "
        "stale-while-revalidate=30, stale-if-error=86400"
    )


def page_cache_seconds_for_fronts() -> int:
    return getattr(settings, "NEWSDESK_FRONT_CACHE_SECONDS", 60)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match and getattr(request, "cache_tags", None) is None:
            tags = tags_for_view(match.view_name, view_kwargs)
            if tags is not None:
                request.cache_tags = tags

    def __call__(self, request):
        if not request_is_cacheable(request):
            response = self.get_response(request)
            if request.method in {"GET", "HEAD"} and "Cache-Control" not in response:
                response["Cache-Control"] = "private, no-cache"
            return response

        entry = page_cache.fetch(request)
        if entry is not None:
            return hit_response(request, entry)

        counter = page_cache.purge_counter()
        response = self.get_response(request)
        if response_is_cacheable(request, response):
            # After the check: a variant's own Vary (even on Cookie) is covered by the key.
            patch_vary_headers(response, page_cache.vary_headers(request))
            response["Cache-Control"] = shared_cache_control()
            entry = page_cache.store(request, response, request.cache_tags, counter)
            response["X-Cache"] = "MISS"
            if entry is not None:
                response["ETag"] = entry.etag
                response["Last-Modified"] = http_date(entry.stored_at)
                if request.headers.get("If-None-Match") == entry.etag:
                    return not_modified(entry.etag)
        elif "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-cache"
        return response


def hit_response(request, entry) -> HttpResponse:
    """The stored page (with fresh fragments), or 304 when the reader already has it."""
    # Fresh fragments (Trending) inside the stored page; the ETag follows the result.
    body, etag = entry.render(request)
    if request.META.get("HTTP_IF_NONE_MATCH") == etag:
        return not_modified(etag)
    response = HttpResponse(b"" if request.method == "HEAD" else body, status=entry.status)
    for name, value in entry.headers:
        response[name] = value
    response["Content-Length"] = str(len(body))
    response["ETag"] = etag
    response["Last-Modified"] = http_date(entry.stored_at)
    response["X-Cache"] = "HIT"
    return response


def not_modified(etag: str) -> HttpResponseNotModified:
    response = HttpResponseNotModified()
    response["ETag"] = etag
    response["Cache-Control"] = shared_cache_control()
    return response
