from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from newsdesk.core.signals import site_changed
from newsdesk.news.models import ArticlePage

from .models import SyndicationSettings
from .tasks import make_social_renditions


@receiver(post_save, sender=SyndicationSettings)
def settings_saved(sender, created, **kwargs):
    """Feeds, robots.txt and every page's social card read these settings: purge them all
    (not when the defaults are first stored: nothing visible changes then)."""
    if not created:
        site_changed.send(sender=sender)


@receiver(page_published, sender=ArticlePage)
def article_published(sender, instance, **kwargs):
    if instance.featured_image_id:
        image_id = instance.featured_image_id
        transaction.on_commit(lambda: make_social_renditions.enqueue(image_id))
