"""Keep the banner list fresh, and the Administrator group holding every permission."""

from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from newsdesk.core.signals import site_changed
from newsdesk.news.models import ArticlePage

from . import breaking
from .models import BreakingNews
from .roles import ADMINISTRATOR


@receiver(post_save, sender=BreakingNews)
@receiver(post_delete, sender=BreakingNews)
def breaking_news_changed(sender, instance, **kwargs):
    """Every page shows the banner: re-read it, purge front caches now and again at its end."""
    breaking.forget()
    transaction.on_commit(lambda: site_changed.send(sender=BreakingNews))
    if kwargs.get("signal") is post_save:
        transaction.on_commit(lambda: breaking.schedule_end(instance.ends_at))


@receiver(page_published, sender=ArticlePage)
@receiver(page_unpublished, sender=ArticlePage)
@receiver(page_slug_changed, sender=ArticlePage)
@receiver(post_page_move)
def article_changed(sender, **kwargs):
    """A flagged article's headline, address or state may have changed: re-read the banner."""
    breaking.forget()


@receiver(post_migrate)
def administrators_hold_every_permission(sender, **kwargs):
    """Administrators may do everything, including what apps added after this one define
    (the comment queues, for example); post_migrate runs once per app, after its permissions
    exist, so the group catches up whatever the order of the apps."""
    using = kwargs.get("using", "default")
    group = Group.objects.using(using).filter(name=ADMINISTRATOR).first()
    if group is not None:
        # This handler may run before auth's own for the same app: make its permissions first.
        create_permissions(sender, verbosity=0, using=using)
        missing = Permission.objects.using(using).exclude(group=group)
        if missing.exists():
            group.permissions.add(*missing)
