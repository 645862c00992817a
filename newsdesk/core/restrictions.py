"""Page view restrictions (Wagtail's "Privacy"), read once per change instead of per request.

Wagtail checks restrictions on every page view (two queries: the ancestors, then the
restrictions) and every ``public()`` listing reads them all again. A news site has few or
none, so every process keeps the list (restricting page path and depth) in the shared cache;
the entry is dropped when a restriction is saved or deleted or a page moves.
"""

from django.core.cache import cache
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction
from wagtail.signals import post_page_move

from .signals import site_changed

CACHE_KEY = "newsdesk:view-restrictions:v1"


def restricted_roots() -> list[tuple[str, int]]:
    """(path, depth) of every page carrying a view restriction."""
    roots = cache.get(CACHE_KEY)
    if roots is None:
        roots = sorted(set(PageViewRestriction.objects.values_list("page__path", "page__depth")))
        cache.set(CACHE_KEY, roots, 24 * 3600)
    return roots


def private_q() -> Q:
    """Wagtail's ``PageQuerySet.private_q()`` from the cached list."""
    q = Q()
    for path, depth in restricted_roots():
        q |= Q(path__startswith=path, depth__gte=depth)
    return q if q else Q(pk__in=[])


def may_be_restricted(page) -> bool:
    """False when no restriction covers the page, so Wagtail's own check can be skipped."""
    return any(page.path.startswith(path) for path, _ in restricted_roots())


class CachedRestrictionsMixin:
    """For page models: skip Wagtail's per-view restriction queries when none apply.
    Aliases share their source page's restrictions, so they always take Wagtail's path."""

    def get_view_restrictions(self):
        if self.alias_of_id is None and not may_be_restricted(self):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


def forget(**kwargs):
    cache.delete(CACHE_KEY)


def restrictions_changed(**kwargs):
    """Who may read which pages changed: forget the list, and every cached page and list."""
    forget()
    site_changed.send(sender=PageViewRestriction)


def connect():
    post_save.connect(
        restrictions_changed, sender=PageViewRestriction, dispatch_uid="newsdesk_pvr_save"
    )
    post_delete.connect(
        restrictions_changed, sender=PageViewRestriction, dispatch_uid="newsdesk_pvr_delete"
    )
    post_page_move.connect(forget, dispatch_uid="newsdesk_pvr_move")
