"""Forget cached facts the comment POST relies on when they change."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import PageViewRestriction

from .display import RESTRICTED_KEY


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def view_restrictions_changed(sender, **kwargs):
    cache.delete(RESTRICTED_KEY)
