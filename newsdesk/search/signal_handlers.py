"""Keep search results and related-story lists in step with publishing.

Wagtail re-indexes a saved page through a queued task, which the worker runs within its polling
interval; with the database backend indexing one article is a single cheap statement, so a
published article is indexed in the publishing request itself and reaches results at once
(readers' queries only ever see live articles, so unpublishing needs no index change)."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished

from newsdesk.core.signals import page_changed
from newsdesk.news.models import ArticlePage

from . import related


@receiver(page_published, sender=ArticlePage)
def index_at_once(sender, instance, **kwargs):
    index.insert_or_update_object(instance)


@receiver(page_published, sender=ArticlePage)
@receiver(page_unpublished, sender=ArticlePage)
@receiver(post_delete, sender=ArticlePage)
@receiver(page_changed)
def forget_related(sender, **kwargs):
    related.forget_all()
