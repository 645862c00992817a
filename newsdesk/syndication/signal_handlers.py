from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag
from wagtail.signals import page_published, page_unpublished, post_page_move

from newsdesk.core.signals import site_changed
from newsdesk.news.models import ArticlePage, NewsImage

from . import sitemaps
from .models import SyndicationSettings
from .tasks import make_social_renditions


@receiver(post_save, sender=SyndicationSettings)
def settings_saved(sender, created, **kwargs):
    """Feeds, robots.txt and every page's social card read these settings: purge them all
    (not when the defaults are first stored: nothing visible changes then)."""
    SyndicationSettings.forget()
    transaction.on_commit(SyndicationSettings.forget)
    if not created:
        site_changed.send(sender=sender)


@receiver(post_delete, sender=SyndicationSettings)
@receiver(post_delete, sender=NewsImage)
def settings_picture_deleted(sender, **kwargs):
    """Deleting the logo or share picture empties the settings' field by a query, not a save."""
    SyndicationSettings.forget()
    transaction.on_commit(SyndicationSettings.forget)


@receiver(page_published, sender=ArticlePage)
def article_published(sender, instance, **kwargs):
    # At once, not on commit: a lastmod moved forward by a publish that then rolls back only
    # makes a crawler look again.
    sitemaps.story_published(instance)
    # Its authors and tags may be new to the author and tag files: find their buckets again,
    # now and once other processes can see the story.
    sitemaps.forget_subjects()
    transaction.on_commit(sitemaps.forget_subjects)
    if instance.featured_image_id:
        image_id = instance.featured_image_id
        transaction.on_commit(lambda: make_social_renditions.enqueue(image_id))


@receiver(page_unpublished, sender=ArticlePage)
@receiver(post_delete, sender=ArticlePage)
@receiver(post_page_move)
def article_removed(sender, **kwargs):
    """A story file may have emptied or its addresses changed: recount the index's files."""
    sitemaps.stories_removed()
    transaction.on_commit(sitemaps.stories_removed)  # and again once other processes see it


@receiver(post_delete, sender=Tag)
def subject_deleted(sender, **kwargs):
    sitemaps.forget_subjects()
    transaction.on_commit(sitemaps.forget_subjects)


@receiver(site_changed)
def everything_changed(sender, **kwargs):
    sitemaps.stories_removed()
