"""Purging a front cache (Varnish, nginx, a CDN) through Wagtail's frontend-cache backends.

The page cache thinks in tags; front caches think in URLs. :func:`urls_for_tags` turns the
tags of a change into the URLs that show it: a page's own address (and extra addresses apps
add through the ``newsdesk_front_cache_paths`` hook, such as a mobile version or a section's
feeds), and path prefixes ending in ``*`` for whole families (all feeds; ``/*`` for the whole
site). The Varnish configuration in deploy/ purges a path with every query string and variant.
"""

import logging
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from django.conf import settings
from wagtail import hooks
from wagtail.contrib.frontend_cache.backends.http import HTTPBackend, PurgeRequest
from wagtail.contrib.frontend_cache.utils import get_backends
from wagtail.models import Page

logger = logging.getLogger(__name__)

FAMILIES = {
    "feeds": ["/feed/*"],
    "sitemaps": ["/sitemap*", "/news-sitemap.xml"],
    "search": ["/search/*"],
    "home": ["/"],
    "site": ["/*"],
}


class TimedHTTPBackend(HTTPBackend):
    """Wagtail's HTTP PURGE backend with a timeout: a stuck proxy must not hang publishing."""

    timeout = 2

    def purge(self, url):
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        request = PurgeRequest(
            url=urlunsplit([self.cache_scheme, self.cache_netloc, parts.path, parts.query, ""]),
            headers={"Host": host, "User-Agent": "Newsdesk-purge"},
        )
        try:
            urlopen(request, timeout=self.timeout)  # noqa: S310 - LOCATION comes from settings
        except (HTTPError, URLError, OSError) as error:
            logger.error("Could not purge %s from the front cache: %s", url, error)


def paths_for_tag(tag: str) -> list[str]:
    kind, _, value = tag.partition(":")
    if kind in FAMILIES:
        paths = list(FAMILIES[kind])
    elif kind in {"page", "section"}:
        page = Page.objects.filter(pk=value).first()
        url = page.get_url() if page else None
        paths = [url] if url and url.startswith("/") else []
    elif kind == "author":
        paths = [f"/authors/{value}/"]
    elif kind == "tag":
        paths = [f"/tags/{value}/"]
    else:
        paths = []  # "missing": the newly published page's own address covers it
    for extra in hooks.get_hooks("newsdesk_front_cache_paths"):
        paths.extend(extra(tag))
    return paths


def urls_for_tags(tags) -> list[str]:
    if "site" in tags:
        return [settings.BASE_URL + "/*"]
    paths = sorted({path for tag in tags for path in paths_for_tag(tag)})
    return [settings.BASE_URL + path for path in paths]


def purge_front(tags) -> None:
    backends = get_backends()
    if not backends:
        return
    urls = urls_for_tags(tags)
    for backend in backends.values():
        backend.purge_batch(urls)
