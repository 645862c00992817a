import re

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from taggit.models import Tag
from wagtail import hooks

from newsdesk.news.models import ArticlePage, Author, SectionPage

from . import metadata
from .demo import social_renditions_for_demo
from .models import SyndicationSettings

FEED_TYPES = {
    "rss": ("application/rss+xml", "RSS"),
    "atom": ("application/atom+xml", "Atom"),
    "json": ("application/feed+json", "JSON Feed"),
}
# Machine-readable outputs that are compressed by the app (see views.compressed).
COMPRESSED_PATHS = re.compile(r"(/feed/(atom/|json/)?|\.xml|/robots\.txt)$")
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def feed_links(context) -> list[dict]:
    """Feed autodiscovery: the site's feeds everywhere, plus the feed of what the page shows."""
    site = settings.SITE_NAME
    links = [
        {
            "type": mime,
            "title": f"{site} ({label})",
            "href": reverse(f"syndication:site_{fmt}"),
        }
        for fmt, (mime, label) in FEED_TYPES.items()
    ]
    page, author, tag = context.get("page"), context.get("author"), context.get("tag")
    section = page if isinstance(page, SectionPage) else None
    if isinstance(page, ArticlePage) and page.section_id:
        section = page.section
    if section is not None:
        links.append(scoped("section", section.slug, f"{section.title} – {site}"))
    elif isinstance(author, Author):
        links.append(scoped("author", author.slug, f"{author.name} – {site}"))
    elif isinstance(tag, Tag):
        links.append(scoped("tag", tag.slug, f"{tag.name} – {site}"))
    return links


def scoped(scope: str, slug: str, title: str) -> dict:
    return {
        "type": FEED_TYPES["rss"][0],
        "title": f"{title} (RSS)",
        "href": reverse(f"syndication:{scope}_rss", args=[slug]),
    }


@hooks.register("newsdesk_slot_head")
def head_metadata(context):
    meta = metadata.for_context(context)
    request = context.get("request")
    twitter_site = ""
    if meta is not None:
        twitter_site = SyndicationSettings.current(request).twitter_site
    language, _, region = settings.LANGUAGE_CODE.partition("-")
    return render_to_string(
        "syndication/head.html",
        {
            "feeds": feed_links(context),
            "meta": meta,
            "site_name": settings.SITE_NAME,
            "locale": f"{language}_{region.upper()}" if region else language,
            "twitter_site": twitter_site,
        },
    )


@hooks.register("newsdesk_cache_variant")
def compressed_variant(request):
    """Compressed feeds and sitemaps are stored apart from plain ones in the page cache."""
    if COMPRESSED_PATHS.search(request.path) and ACCEPTS_GZIP.search(
        request.headers.get("Accept-Encoding", "")
    ):
        return "gzip"
    return ""


@hooks.register("newsdesk_demo_extras")
def demo_social_renditions(stdout, tally, now):
    social_renditions_for_demo(stdout, tally)
