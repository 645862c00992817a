from django.dispatch import receiver
from wagtail.signals import post_page_move

from .models import ArticlePage


@receiver(post_page_move)
def keep_article_section(sender, instance, parent_page_after, **kwargs):
    """An article moved to another section is listed on that section's front."""
    ArticlePage.objects.filter(pk=instance.pk).update(section_id=parent_page_after.pk)
