"""Feeds, sitemaps and robots.txt.

Everything small (feeds, the sitemap index, the news sitemap, the pages file, robots.txt)
declares its cache tags and is kept whole in the page cache, purged by ``delivery`` when
stories change. The large sitemap files (up to 50,000 addresses) are streamed instead: keeping
megabytes per file in the shared cache, all purged at every publication, would cost more than
the bounded keyset reads that produce them. They answer conditional requests themselves.
"""

import hashlib

from django.conf import settings
from django.db.models import Max
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.middleware.gzip import GZipMiddleware
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.decorators import decorator_from_middleware
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from wagtail.models import PageLogEntry

from newsdesk.news.models import HomePage, SectionPage

from . import sitemaps
from .feeds import FEEDS
from .images import absolute
from .models import SyndicationSettings

XML = "application/xml; charset=utf-8"


class UnpaddedGZipMiddleware(GZipMiddleware):
    """Feeds and sitemaps carry no secrets, so Django's anti-BREACH padding (random bytes)
    is not needed, and without it an unchanged feed compresses to the same bytes (same ETag)."""

    max_random_bytes = 0


# Compressed by the app so every deployment gets it; the page cache keeps compressed and
# plain copies apart (the ``newsdesk_cache_variant`` hook in wagtail_hooks.py).
compressed = decorator_from_middleware(UnpaddedGZipMiddleware)


def feed(scope: str, fmt: str):
    """A view for one feed and format; the Feed object is made per request (thread safety)."""
    feed_class = FEEDS[scope]

    @require_safe
    @compressed
    def view(request, **kwargs):
        return feed_class(request, fmt)(request, **kwargs)

    view.__name__ = view.__qualname__ = f"{scope}_{fmt}_feed"
    return view


@require_safe
@compressed
def robots(request):
    request.cache_tags = ["site"]
    config = SyndicationSettings.load(request_or_site=request)
    rules = [f"Disallow: {path}" for path in config.disallowed_paths()] or ["Disallow:"]
    lines = [
        "User-agent: *",
        *rules,
        "",
        f"Sitemap: {absolute(reverse('syndication:sitemap_index'))}",
        f"Sitemap: {absolute(reverse('syndication:news_sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@compressed
def sitemap_index(request):
    request.cache_tags = ["site", "sitemaps"]
    return HttpResponse(sitemaps.sitemap_index(sitemaps.index_entries()), content_type=XML)


@require_safe
@compressed
def news_sitemap(request):
    request.cache_tags = ["site", "sitemaps"]
    return HttpResponse(sitemaps.news_sitemap(sitemaps.news_stories()), content_type=XML)


@require_safe
@compressed
def sitemap(request, name: str, number: int):
    if name not in sitemaps.SITEMAPS:
        raise Http404("No such sitemap.")
    section = sitemaps.SITEMAPS[name]()
    if not section.streamed:
        request.cache_tags = ["site", "sitemaps"]
        urls = list(section.urls(number))
        if not urls:
            raise Http404("No such sitemap file.")
        return HttpResponse(b"".join(sitemaps.urlset(urls)), content_type=XML)

    count, newest, top = section.summary(number)
    if not count:
        raise Http404("No such sitemap file.")
    stamp = structure_stamp()
    fingerprint = repr((name, number, count, newest, top, stamp, settings.BASE_URL))
    etag = '"' + hashlib.sha256(fingerprint.encode()).hexdigest()[:32] + '"'
    last_modified = max(filter(None, [newest, *stamp]), default=None)
    timestamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is None:
        response = StreamingHttpResponse(sitemaps.urlset(section.urls(number)), content_type=XML)
    response["ETag"] = etag
    if timestamp:
        response["Last-Modified"] = http_date(timestamp)
    response["Cache-Control"] = (
        f"public, max-age=0, s-maxage={settings.NEWSDESK_FRONT_CACHE_SECONDS}"
    )
    return response


def structure_stamp() -> tuple:
    """When addresses last changed without the stories changing (a section renamed or
    published, a page moved): part of the large files' ETag and Last-Modified."""
    fronts = [
        model.objects.aggregate(newest=Max("last_published_at"))["newest"]
        for model in (HomePage, SectionPage)
    ]
    moved = PageLogEntry.objects.filter(action="wagtail.move").aggregate(newest=Max("timestamp"))
    return (*fronts, moved["newest"])
