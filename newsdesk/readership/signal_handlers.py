"""Keep counting and the Trending list honest when articles come, go or move."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from newsdesk.core.signals import site_changed
from newsdesk.news.models import ArticlePage, SectionPage

from . import trending
from .visitors import live_articles


def as_article(instance):
    page = instance.specific_deferred if hasattr(instance, "specific_deferred") else instance
    return page if isinstance(page, ArticlePage) else None


@receiver(page_unpublished)
@receiver(post_delete, sender=ArticlePage)
def article_gone(sender, instance, **kwargs):
    page = as_article(instance)
    if page is None:
        return
    live_articles.forget(page.pk)
    trending.forget([page.section_id] if page.section_id else [])


@receiver(page_published)
def article_published(sender, instance, **kwargs):
    """A new or edited headline shows at once (the "Latest" fallback lists new articles)."""
    page = as_article(instance)
    if page is not None:
        live_articles.forget(page.pk)
        trending.forget([page.section_id] if page.section_id else [])


@receiver(post_page_move)
def article_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    if as_article(instance) is not None:
        trending.forget([parent_page_before.pk, parent_page_after.pk])


@receiver(site_changed)
def everything_changed(sender, **kwargs):
    """Who may read what changed (a section made private, say): no list may keep old entries."""
    trending.forget(SectionPage.objects.values_list("pk", flat=True))
