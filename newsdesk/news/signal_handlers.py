from django.core.cache import cache
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import NAVIGATION_CACHE_KEY, ArticlePage, SectionPage


@receiver(post_page_move)
def keep_article_section(sender, instance, parent_page_after, **kwargs):
    """An article moved to another section is listed on that section's front."""
    ArticlePage.objects.filter(pk=instance.pk).update(section_id=parent_page_after.pk)
    if isinstance(instance.specific_deferred, SectionPage):
        cache.delete(NAVIGATION_CACHE_KEY)


@receiver(page_unpublished, sender=ArticlePage)
def unlist_unpublished_article(sender, instance, **kwargs):
    """Wagtail unpublishes an expired page through a plain ``Page`` (its scheduled expiry), which
    skips ``ArticlePage.save``: keep ``listed`` in step with ``live`` here too."""
    ArticlePage.objects.filter(pk=instance.pk, listed=True).update(listed=False)


@receiver(page_published, sender=SectionPage)
@receiver(page_unpublished, sender=SectionPage)
@receiver(post_delete, sender=SectionPage)
def forget_navigation(sender, **kwargs):
    cache.delete(NAVIGATION_CACHE_KEY)
