"""Keep counting and the Trending list honest when articles leave the site."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_unpublished

from newsdesk.news.models import ArticlePage

from . import trending
from .visitors import live_articles


@receiver(page_unpublished)
@receiver(post_delete, sender=ArticlePage)
def article_gone(sender, instance, **kwargs):
    page = instance.specific_deferred if hasattr(instance, "specific_deferred") else instance
    if not isinstance(page, ArticlePage):
        return
    live_articles.forget(page.pk)
    trending.forget([page.section_id] if page.section_id else [])
