"""Purge the page cache exactly when something readers see changes."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from newsdesk.core.signals import page_changed, site_changed
from newsdesk.news.models import ArticlePage, Author, HomePage, SectionPage

from .cache import purge
from .tags import article_change_tags


@receiver(pre_save, sender=ArticlePage)
def remember_what_showed_it(sender, instance, **kwargs):
    """Before a save replaces the live version, note its authors and tags: pages that listed
    the old version must be purged too (a byline or tag may be removed by the edit)."""
    if instance.pk and not kwargs.get("update_fields"):
        live = ArticlePage.objects.filter(pk=instance.pk).first()
        instance._tags_before_save = article_change_tags(live) if live else set()


@receiver(page_published)
def published(sender, instance, **kwargs):
    page = instance.specific_deferred
    if isinstance(page, ArticlePage):
        before = getattr(instance, "_tags_before_save", set())
        purge(*article_change_tags(page) | before)
    else:
        purge_structure(page)


@receiver(page_unpublished)
def unpublished(sender, instance, **kwargs):
    page = instance.specific
    if isinstance(page, ArticlePage):
        purge(*article_change_tags(page))
    else:
        purge_structure(page)


@receiver(post_page_move)
def moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    page = instance.specific
    if isinstance(page, ArticlePage):
        tags = article_change_tags(page)
        tags |= {f"section:{parent_page_before.pk}", f"section:{parent_page_after.pk}"}
        purge(*tags)
    else:
        purge_structure(page)


@receiver(post_delete, sender=ArticlePage)
def article_deleted(sender, instance, **kwargs):
    tags = {"home", "feeds", "sitemaps", "search", "missing", f"page:{instance.pk}"}
    if instance.section_id:
        tags.add(f"section:{instance.section_id}")
    purge(*tags)
    purge("site")  # its authors and tags are gone with it; a rare event, purge broadly


@receiver(post_delete, sender=SectionPage)
@receiver(post_delete, sender=HomePage)
def structure_deleted(sender, instance, **kwargs):
    purge("site")


@receiver(post_save, sender=Author)
@receiver(post_delete, sender=Author)
def author_changed(sender, instance, **kwargs):
    purge("site")  # a name or photo shows on every article with the byline


def purge_structure(page) -> None:
    """Sections and the home page appear in the menu and on the front: every page may show them."""
    purge("site")


@receiver(page_changed)
def page_content_changed(sender, page, **kwargs):
    """A comment approved or a correction added: the article and every list showing it."""
    page = page.specific_deferred
    if isinstance(page, ArticlePage):
        purge(*article_change_tags(page))
    else:
        purge(f"page:{page.pk}")


@receiver(site_changed)
def site_content_changed(sender, **kwargs):
    purge("site")
