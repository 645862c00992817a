"""What each page shows (its cache tags) and what a change makes stale (the tags to purge).

Tags: ``site`` (the menu and anything on every page), ``home``, ``section:<id>``,
``page:<id>``, ``author:<slug>``, ``tag:<slug>``, ``feeds``, ``sitemaps``, ``search`` and
``missing`` (404 pages, which a newly published page may fill).
"""

from newsdesk.news.models import ArticlePage, HomePage, SectionPage


def tags_for_page(page) -> list[str]:
    if isinstance(page, ArticlePage):
        return ["site", f"page:{page.pk}"]
    if isinstance(page, SectionPage):
        return ["site", f"section:{page.pk}"]
    if isinstance(page, HomePage):
        return ["site", "home"]
    return ["site", f"page:{page.pk}"]


VIEW_TAGS = {
    "news:author": lambda kwargs: ["site", f"author:{kwargs['slug']}"],
    "news:tag": lambda kwargs: ["site", f"tag:{kwargs['slug']}"],
}


def tags_for_view(view_name: str, kwargs: dict) -> list[str] | None:
    make = VIEW_TAGS.get(view_name)
    return make(kwargs) if make else None


def article_change_tags(*versions: ArticlePage) -> set[str]:
    """Everything that lists or shows an article, for each version given (before and after
    an edit, so an author or tag removed in the edit is purged too)."""
    tags = {"home", "feeds", "sitemaps", "search", "missing"}
    for article in versions:
        if article is None:
            continue
        tags.add(f"page:{article.pk}")
        if article.section_id:
            tags.add(f"section:{article.section_id}")
        for byline in article.bylines.all():
            tags.add(f"author:{byline.author.slug}")
        for tag in article.tags.all():
            tags.add(f"tag:{tag.slug}")
    return tags
