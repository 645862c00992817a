"""Which Wagtail site a request is for, without two queries on every request.

Wagtail looks the site up (one query) and then loads the home page's specific object (another)
for every page view. Sites and home pages change a few times a year, so every process keeps
them in the shared cache (Redis in production, so all processes see a change at once) and
the entry is dropped whenever a site or a site's root page is saved, published, moved or
deleted. The matching rules are Wagtail's own (``get_site_for_hostname``), applied in Python.
"""

from contextlib import suppress

from django.core.cache import cache
from django.db import DatabaseError
from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

CACHE_KEY = "newsdesk:sites:v1"


def all_sites() -> list[Site]:
    sites = cache.get(CACHE_KEY)
    if sites is None:
        sites = list(Site.objects.select_related("root_page"))
        for site in sites:
            site.root_page = site.root_page.specific
            site.root_page._from_site_cache = True
        cache.set(CACHE_KEY, sites, 24 * 3600)
    return sites


def site_for(hostname: str, port: int) -> Site | None:
    """Wagtail's choice: hostname and port, then hostname of the default site, then the
    default site unless exactly one other site has this hostname."""
    hostname = hostname.lower()
    by_hostname = [site for site in all_sites() if site.hostname == hostname]
    for site in by_hostname:
        if site.port == port:
            return site
    for site in by_hostname:
        if site.is_default_site:
            return site
    default = next((site for site in all_sites() if site.is_default_site), None)
    if default is not None:
        return by_hostname[0] if len(by_hostname) == 1 else default
    return by_hostname[0] if len(by_hostname) == 1 else None


class SiteMiddleware:
    """Hand Wagtail the request's site from the cache (``Site.find_for_request`` reads
    ``request._wagtail_site`` when it is set)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        hostname = split_domain_port(request._get_raw_host())[0]
        # On a database outage Wagtail asks again inside the view, where it becomes a 503 page.
        with suppress(DatabaseError):
            request._wagtail_site = site_for(hostname, int(request.get_port()))
        return self.get_response(request)


def forget_sites(**kwargs):
    cache.delete(CACHE_KEY)


def forget_if_root(sender, instance, **kwargs):
    if instance.depth <= 2:
        forget_sites()


def connect():
    post_save.connect(forget_sites, sender=Site, dispatch_uid="newsdesk_sites_save")
    post_delete.connect(forget_sites, sender=Site, dispatch_uid="newsdesk_sites_delete")
    page_published.connect(forget_if_root, dispatch_uid="newsdesk_sites_publish")
    page_unpublished.connect(forget_if_root, dispatch_uid="newsdesk_sites_unpublish")
    post_page_move.connect(forget_if_root, dispatch_uid="newsdesk_sites_move")
    post_delete.connect(forget_if_root, sender=Page, dispatch_uid="newsdesk_sites_page_delete")
