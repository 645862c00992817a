"""Keeping the phone and desktop versions apart in every cache.

DESIGN NOTE — why the decision is routed before the cache instead of left to ``Vary``

A full article address answers three ways: a redirect to the mobile version (phones), the full
page (desktops and tablets), and the full page with a "Mobile version" link (phones whose reader
chose the full site). The decision depends on the ``User-Agent``, the ``Sec-CH-UA-Mobile`` hint
and the ``newsdesk_full`` cookie.

* ``Vary: User-Agent`` alone would be correct but useless: there are tens of thousands of
  distinct user agents, so a shared cache would keep one copy per browser build and hardly ever
  hit. A ``Vary`` on a normalised header (``X-Device: phone``) needs something in front to set
  that header — which means classifying user agents there, and a hand-written regex list in the
  proxy is exactly what goes stale.
* So the classification stays in the app (one library, one function: ``devices.bucket``), and
  every cache keys pages on its *result*:

  - the app's page cache adds ``device:<bucket>`` to the key of full article addresses through
    the ``newsdesk_cache_variant`` hook (fronts, feeds and the mobile pages are the same for
    every reader and keep one copy);
  - Varnish (deploy/varnish/newsdesk.vcl) takes the class from the ``Sec-CH-UA-Mobile`` hint
    when the client sends one (``devices.device_class`` lets the hint decide alone, so this is
    the app's rule, not a guess); otherwise it asks the app once per distinct user agent
    (``/_device``, answered before Django's middleware and itself cached in Varnish for a day)
    and restarts the request with the answer. Either way the class goes in
    ``X-Newsdesk-Device``, and Varnish hashes on it plus the opt-out cookie. A new user agent
    costs one tiny request; every other request is one cache lookup inside Varnish with the
    hint, two without.
  - Responses still say what they depend on, for any other HTTP cache or CDN in the path:
    ``Vary: User-Agent, Sec-CH-UA-Mobile, Cookie`` on full article addresses (added through the
    ``newsdesk_cache_vary`` hook). A cache that honours ``Vary`` therefore never mixes the
    buckets, merely keeps more copies; Varnish, which routes before its cache, drops these
    three from ``Vary`` for its own lookups and passes them on to what is downstream.

Purges follow the article's tag (``page:<id>``): the app's cache entries of both versions carry
it, and front caches are sent the mobile address alongside the full one
(``newsdesk_front_cache_paths``); a Varnish purge of a path covers all its buckets.
"""

from django.conf import settings
from wagtail.models import Page

from newsdesk.news.models import ArticlePage

from . import devices

VARY = ["User-Agent", "Sec-CH-UA-Mobile", "Cookie"]


def absolute(path: str) -> str:
    return settings.BASE_URL + path


def cache_variant(request) -> str:
    if not devices.is_article_path(request.path):
        return ""
    return f"device:{devices.bucket(request)}"


def cache_vary(request) -> list[str]:
    return VARY if devices.is_article_path(request.path) else []


def front_cache_paths(tag: str) -> list[str]:
    """The mobile address of an article whose tag is purged."""
    kind, _, value = tag.partition(":")
    if kind != "page" or not value.isdigit():
        return []
    page = Page.objects.filter(pk=value).specific(defer=True).first()
    if not isinstance(page, ArticlePage):
        return []
    path = devices.mobile_path(page)
    return [path] if path else []
