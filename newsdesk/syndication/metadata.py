"""What search engines and social networks read in a page's head: canonical address, Open
Graph, Twitter cards and schema.org JSON-LD, built from the objects the page already shows.

:func:`for_context` is called by the ``head`` slot with the page's template context; it knows
the public page types (home, section, article, author, tag) and returns ``None`` for anything
else (the 404 page says ``noindex`` itself and gets no canonical address).
"""

import json
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from taggit.models import Tag

from newsdesk.news.models import ArticleByline, ArticlePage, Author, HomePage, SectionPage

from . import images
from .models import SyndicationSettings

HEADLINE_LIMIT = 110  # Google's limit for NewsArticle.headline
SEARCH_PATH = "/search/"

# The escapes of django.utils.html.json_script: "</script>" or "<!--" in a headline stays data.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data: dict) -> SafeString:
    """JSON for a ``<script type="application/ld+json">`` element, safe against breaking out."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(JSON_SCRIPT_ESCAPES))  # noqa: S308 - escaped just above


@dataclass
class Metadata:
    canonical: str
    title: str
    description: str
    og_type: str
    picture: images.Picture
    properties: list[tuple[str, str]] = field(default_factory=list)  # article:*, profile:*
    structured: list[dict] = field(default_factory=list)

    @property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.picture.width >= 300 else "summary"

    def scripts(self) -> list[SafeString]:
        return [json_ld(data) for data in self.structured]


def absolute(path: str) -> str:
    return images.absolute(path)


def canonical(path: str, page_number: int = 1) -> str:
    """The page's own address: tracking and other parameters dropped, pagination kept."""
    query = f"?{urlencode({'page': page_number})}" if page_number > 1 else ""
    return absolute(path) + query


def headline(title: str) -> str:
    """At most 110 characters, cut at a word with an ellipsis."""
    if len(title) <= HEADLINE_LIMIT:
        return title
    cut = title[: HEADLINE_LIMIT - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return cut + "…"


def iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def author_url(author: Author) -> str:
    return absolute(author.get_absolute_url())


def tag_url(tag: Tag) -> str:
    return absolute(reverse("news:tag", args=[tag.slug]))


def page_url(page, request) -> str:
    return absolute(page.get_url(request=request) or "/")


def organization(config) -> dict:
    logo = images.logo_picture(config)
    return {
        "@type": "NewsMediaOrganization",
        "@id": absolute("/#publisher"),
        "name": settings.SITE_NAME,
        "url": absolute("/"),
        "logo": {
            "@type": "ImageObject",
            "url": logo.url,
            "width": logo.width,
            "height": logo.height,
        },
    }


def person(author: Author) -> dict:
    data = {"@type": "Person", "name": author.name, "url": author_url(author)}
    if author.role:
        data["jobTitle"] = author.role
    return data


def breadcrumbs(trail: list[tuple[str, str]]) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": name, "item": url}
            for number, (name, url) in enumerate(trail, start=1)
        ],
    }


def item_list(urls: list[str], first_position: int = 1) -> dict:
    """Google's "summary page" list: each story's address in the order shown."""
    return {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "url": url}
            for number, url in enumerate(urls, start=first_position)
        ],
    }


def stories_of(context) -> tuple[list, int, int]:
    """(stories, page number, first position) of a paginated front in the context."""
    window = context.get("stories")
    if window is None:
        return [], 1, 1
    number = getattr(window, "number", 1)
    return list(window), number, (number - 1) * settings.NEWSDESK_PAGE_SIZE + 1


# --- Page types -------------------------------------------------------------------------------


def share_with_template(page: ArticlePage) -> None:
    """Load bylines (with their authors), tags and corrections once, on the page object the
    template renders next: the head and the page then read the same rows, in a fixed number
    of queries (``ArticlePage.authors()`` alone reads each author apart). A preview's unsaved
    relations (kept in memory by modelcluster) are left as they are."""
    if getattr(page, "_cluster_related_objects", None):
        return
    prefetch_related_objects(
        [page],
        Prefetch(
            "bylines",
            queryset=ArticleByline.objects.select_related("author").order_by("sort_order"),
        ),
        "tags",
        "corrections",
    )


def for_article(page: ArticlePage, request, config) -> Metadata:
    url = page_url(page, request)
    share_with_template(page)
    authors = page.authors()
    tags = list(page.tags.all())
    pictures = images.article_pictures(page)
    picture = pictures.get("16x9") or images.share_picture(config)
    description = page.get_meta_description()
    properties = [
        ("article:published_time", iso(page.published_at)),
        ("article:modified_time", iso(page.updated_at or page.published_at)),
    ]
    if page.section_id:
        properties.append(("article:section", page.section.title))
    properties += [("article:tag", tag.name) for tag in tags]
    properties += [("article:author", author_url(author)) for author in authors]
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url + "#article",
        "headline": headline(page.title),
        "description": description,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": iso(page.published_at),
        "dateModified": iso(page.updated_at or page.published_at),
        "author": [person(author) for author in authors],
        "publisher": organization(config),
        "isAccessibleForFree": True,
        "inLanguage": settings.SITE_LANGUAGE,
    }
    if pictures:
        article["image"] = [
            {"@type": "ImageObject", "url": p.url, "width": p.width, "height": p.height}
            for p in pictures.values()
        ]
        article["thumbnailUrl"] = picture.url
    if page.section_id:
        article["articleSection"] = page.section.title
    if tags:
        article["keywords"] = [tag.name for tag in tags]
    corrections = page.visible_corrections()
    if corrections:
        article["correction"] = [
            {
                "@type": "CorrectionComment",
                "name": correction.get_kind_display(),
                "text": correction.text,
                "datePublished": iso(correction.created_at),
                "url": f"{url}#correction-{correction.pk}",
            }
            for correction in corrections
        ]
    trail = [(settings.SITE_NAME, absolute("/"))]
    if page.section_id:
        trail.append((page.section.title, page_url(page.section, request)))
    trail.append((page.title, url))
    return Metadata(
        canonical=url,
        title=page.seo_title or page.title,
        description=description,
        og_type="article",
        picture=picture,
        properties=properties,
        structured=[article, breadcrumbs(trail)],
    )


def for_home(page: HomePage, context, request, config) -> Metadata:
    url = absolute("/")
    stories = [context["lead"]] if context.get("lead") else []
    for _section, front in context.get("fronts", []):
        stories += front
    website = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "@id": absolute("/#website"),
        "name": settings.SITE_NAME,
        "url": url,
        "inLanguage": settings.SITE_LANGUAGE,
        "publisher": {"@id": absolute("/#publisher")},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": absolute(SEARCH_PATH) + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }
    publisher = {"@context": "https://schema.org", **organization(config)}
    structured = [website, publisher]
    if stories:
        structured.append(item_list([page_url(story, request) for story in stories]))
    return Metadata(
        canonical=url,
        title=page.seo_title or settings.SITE_NAME,
        description=page.search_description or "The latest news, analysis and opinion.",
        og_type="website",
        picture=images.share_picture(config),
        structured=structured,
    )


def for_section(page: SectionPage, context, request, config) -> Metadata:
    stories, number, first = stories_of(context)
    url = page_url(page, request)
    structured = [breadcrumbs([(settings.SITE_NAME, absolute("/")), (page.title, url)])]
    if stories:
        structured.append(item_list([page_url(s, request) for s in stories], first))
    return Metadata(
        canonical=canonical(page.get_url(request=request) or "/", number),
        title=page.seo_title or page.title,
        description=page.search_description or page.description,
        og_type="website",
        picture=images.share_picture(config),
        structured=structured,
    )


def for_author(author: Author, context, request, config) -> Metadata:
    stories, number, first = stories_of(context)
    profile = person(author)
    if author.bio:
        profile["description"] = author.bio
    links = [link.value["url"] for link in author.links]
    if links:
        profile["sameAs"] = links
    structured = [{"@context": "https://schema.org", "@type": "ProfilePage", "mainEntity": profile}]
    if stories:
        structured.append(item_list([page_url(s, request) for s in stories], first))
    first_name, _, last_name = author.name.partition(" ")
    properties = [("profile:first_name", first_name)]
    if last_name:
        properties.append(("profile:last_name", last_name))
    return Metadata(
        canonical=canonical(author.get_absolute_url(), number),
        title=author.name,
        description=f"{author.role or 'Stories'} by {author.name}",
        og_type="profile",
        picture=images.share_picture(config),
        properties=properties,
        structured=structured,
    )


def for_tag(tag: Tag, context, request, config) -> Metadata:
    stories, number, first = stories_of(context)
    structured = []
    if stories:
        structured.append(item_list([page_url(s, request) for s in stories], first))
    return Metadata(
        canonical=canonical(reverse("news:tag", args=[tag.slug]), number),
        title=tag.name,
        description=f"Stories about {tag.name}",
        og_type="website",
        picture=images.share_picture(config),
        structured=structured,
    )


def for_context(context) -> Metadata | None:
    request = context.get("request")
    if request is None:
        return None
    page = context.get("page")
    if isinstance(page, ArticlePage | SectionPage | HomePage):
        config = SyndicationSettings.current(request)
        if isinstance(page, ArticlePage):
            return for_article(page, request, config)
        if isinstance(page, SectionPage):
            return for_section(page, context, request, config)
        return for_home(page, context, request, config)
    author, tag = context.get("author"), context.get("tag")
    if isinstance(author, Author):
        return for_author(author, context, request, SyndicationSettings.current(request))
    if isinstance(tag, Tag):
        return for_tag(tag, context, request, SyndicationSettings.current(request))
    return None
