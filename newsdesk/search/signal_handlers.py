"""Keep related-story lists in step with publishing (search indexes update themselves: Wagtail
re-indexes a page when it is saved, and readers' queries only see live articles)."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from newsdesk.core.signals import page_changed
from newsdesk.news.models import ArticlePage

from . import related


@receiver(page_published, sender=ArticlePage)
@receiver(page_unpublished, sender=ArticlePage)
@receiver(post_delete, sender=ArticlePage)
@receiver(page_changed)
def forget_related(sender, **kwargs):
    related.forget_all()
