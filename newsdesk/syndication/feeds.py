"""Feeds of the newest stories: the whole site, a section, an author, a tag; each in RSS 2.0,
Atom and JSON Feed (``generators.FORMATS``).

Built on Django's syndication framework: every feed field is a method of :class:`ArticleFeed`.
A feed object is made per request (see ``views.feed``), so it may keep the request and the
admin settings on itself. Each feed reuses the listing of the page it mirrors
(``SectionPage.articles()``, ``ArticlePage.objects.listing()``).
"""

import re
from datetime import UTC
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Enclosure
from django.utils.html import escape
from taggit.models import Tag
from wagtail.models import Site

from newsdesk.news.models import ArticlePage, Author, Correction, NewsRendition, SectionPage

from . import images
from .generators import FORMATS, clean
from .models import SyndicationSettings

# Root-relative addresses in rendered HTML (href, src and each srcset candidate).
RELATIVE_URL = re.compile(r'(\s(?:href|src)=")(/(?!/)[^"]*)"')
SRCSET = re.compile(r'(\ssrcset=")([^"]*)"')


def absolute_links(html: str) -> str:
    """Feed readers show content away from our site: every link and picture needs an
    absolute address."""
    html = RELATIVE_URL.sub(lambda m: f'{m.group(1)}{images.absolute(m.group(2))}"', html)

    def srcset(match):
        candidates = []
        for candidate in match.group(2).split(","):
            url, _, descriptor = candidate.strip().partition(" ")
            candidates.append(f"{images.absolute(url)} {descriptor}".strip())
        return f'{match.group(1)}{", ".join(candidates)}"'

    return SRCSET.sub(srcset, html)


class ArticleFeed(Feed):
    """The newest stories of the whole site; subclasses narrow the listing."""

    scope = "site"

    def __init__(self, request, fmt: str):
        super().__init__()
        self.request = request
        self.fmt = fmt
        self.feed_type = FORMATS[fmt]
        self.language = settings.SITE_LANGUAGE
        self.config = SyndicationSettings.load(request_or_site=request)

    # --- The subject and its listing ----------------------------------------------------------

    def get_object(self, request, *args, **kwargs):
        return None

    def listing(self, obj):
        return ArticlePage.objects.listing()

    def cache_tags(self, obj) -> list[str]:
        return ["site", "feeds"]

    def items(self, obj):
        stories = self.listing(obj).prefetch_related(
            "tags",
            Prefetch("corrections", queryset=Correction.objects.order_by("created_at", "pk")),
        )
        stories = list(stories[: self.config.feed_items])
        # The enclosure's rendition for every picture in one query (as prefetch_renditions).
        prefetch_related_objects(
            [story.featured_image for story in stories if story.featured_image],
            Prefetch(
                "renditions",
                queryset=NewsRendition.objects.filter(
                    filter_spec=images.ARTICLE_RENDITIONS["16x9"]
                ),
                to_attr="prefetched_renditions",
            ),
        )
        return stories

    # --- The feed -----------------------------------------------------------------------------

    def title(self, obj):
        return settings.SITE_NAME

    def html_path(self, obj) -> str:
        return "/"

    def link(self, obj):
        return images.absolute(self.html_path(obj))

    def description(self, obj):
        return f"The newest stories from {settings.SITE_NAME}."

    def feed_url(self, obj):
        return images.absolute(self.request.path)

    def feed_guid(self, obj):
        return self.feed_url(obj)

    def author_name(self, obj):
        return settings.SITE_NAME

    def author_link(self, obj):
        return images.absolute("/")

    def feed_copyright(self, obj):
        return f"© {settings.SITE_NAME}"

    def feed_extra_kwargs(self, obj):
        config = self.config
        return {
            "icon": images.logo_picture(config).url,
            "favicon": images.logo_picture(config).url,
        }

    # --- Items --------------------------------------------------------------------------------

    def item_title(self, item):
        return clean(item.title)

    def item_link(self, item):
        return images.absolute(item.get_url(request=self.request) or "/")

    def item_guid(self, item):
        """Stable whatever happens to the slug or section: the page id and its first
        publication (a tag: URI, RFC 4151)."""
        host = urlsplit(settings.BASE_URL).hostname
        published = item.published_at.astimezone(UTC).date().isoformat()
        return f"tag:{host},{published}:article:{item.pk}"

    item_guid_is_permalink = False

    def item_description(self, item):
        return escape(clean(item.standfirst))

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at or item.published_at

    def item_categories(self, item):
        section = [item.section.title] if item.section_id else []
        return section + [tag.name for tag in item.tags.all()]

    def item_enclosures(self, item):
        picture = self.picture(item)
        if picture is None:
            return []
        return [Enclosure(picture.url, str(picture.size_in_bytes()), picture.mime_type)]

    def item_extra_kwargs(self, item):
        return {
            "authors": [
                {"name": author.name, "url": images.absolute(author.get_absolute_url())}
                for author in item.authors()
            ],
            "content_html": self.content(item),
            "summary_text": clean(item.standfirst),
            "picture": self.picture(item),
        }

    def picture(self, item) -> images.Picture | None:
        if item.featured_image is None:
            return None
        spec = images.ARTICLE_RENDITIONS["16x9"]
        made = images.renditions(item.featured_image, [spec])
        return images.to_picture(made[spec], item.featured_image_alt_text) if made else None

    def content(self, item) -> str | None:
        """The story as readers see it (when editors allow full text), with its corrections."""
        corrections = item.visible_corrections()
        full = self.config.feed_full_content
        if not full and not corrections:
            return None
        html = render_to_string(
            "syndication/feed_item.html",
            {"page": item, "full": full, "corrections": corrections},
            request=self.request,
        )
        return clean(absolute_links(html))

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        request.cache_tags = self.cache_tags(self.subject)
        return response

    def get_feed(self, obj, request):
        self.subject = obj
        return super().get_feed(obj, request)


class SectionFeed(ArticleFeed):
    scope = "section"

    def get_object(self, request, slug):
        site = Site.find_for_request(request) or Site.objects.get(is_default_site=True)
        return get_object_or_404(
            SectionPage.objects.live().public().child_of(site.root_page), slug=slug
        )

    def listing(self, obj):
        return obj.articles()

    def cache_tags(self, obj):
        return ["site", "feeds", f"section:{obj.pk}"]

    def title(self, obj):
        return f"{obj.title} – {settings.SITE_NAME}"

    def html_path(self, obj):
        return obj.get_url(request=self.request)

    def description(self, obj):
        return obj.search_description or obj.description or f"The newest from {obj.title}."


class AuthorFeed(ArticleFeed):
    scope = "author"

    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def listing(self, obj):
        return ArticlePage.objects.listing().filter(bylines__author=obj)

    def cache_tags(self, obj):
        return ["site", "feeds", f"author:{obj.slug}"]

    def title(self, obj):
        return f"{obj.name} – {settings.SITE_NAME}"

    def html_path(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return f"{obj.role or 'Stories'} by {obj.name}."


class TagFeed(ArticleFeed):
    scope = "tag"

    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def listing(self, obj):
        return ArticlePage.objects.listing().filter(tagged_items__tag=obj)

    def cache_tags(self, obj):
        return ["site", "feeds", f"tag:{obj.slug}"]

    def title(self, obj):
        return f"{obj.name} – {settings.SITE_NAME}"

    def html_path(self, obj):
        return reverse("news:tag", args=[obj.slug])

    def description(self, obj):
        return f"Stories about {obj.name}."


FEEDS = {"site": ArticleFeed, "section": SectionFeed, "author": AuthorFeed, "tag": TagFeed}
