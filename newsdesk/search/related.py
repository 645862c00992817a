"""Related stories under every article: shared tags and similar words, same section and
recent stories preferred, never the article itself, never an unpublished one.

Scores, for each candidate: 3 per shared tag, up to 3 for text similarity (its rank among the
stories matching the headline's main words, searched with the site's search backend), 1 for the
same section, up to 1 for freshness (halving every 30 days). The list is a page fragment
(``newsdesk.core.fragments``), so pages kept whole in the page cache still show a current list;
each list is cached until any article is published, changed or unpublished (a generation
counter in the shared cache, bumped by :mod:`.signal_handlers`).
"""

from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from wagtail.search.query import PlainText

from newsdesk.core import fragments
from newsdesk.news.models import ArticlePage, ArticleTag

from .engine import freshness
from .query import parse

RELATED_COUNT = 4
CANDIDATES = 30
CACHE_SECONDS = 6 * 3600
SIMILAR_WINDOW = timedelta(days=365)
GENERATION_KEY = "search:related:generation"
KEY = "search:related:"
# Headline words too common in news to say what a story is about.
STOPWORDS = {
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "by",
    "for",
    "from",
    "has",
    "have",
    "in",
    "into",
    "is",
    "it",
    "its",
    "of",
    "on",
    "or",
    "over",
    "says",
    "the",
    "this",
    "to",
    "was",
    "were",
    "will",
    "with",
    "after",
    "before",
    "new",
    "more",
    "than",
    "up",
    "down",
    "out",
    "about",
}


def generation() -> int:
    return cache.get(GENERATION_KEY) or 0


def forget_all() -> None:
    """Any article published, edited or unpublished may change any list."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, timeout=None)


def cache_keys(article=None) -> list[str]:
    return [GENERATION_KEY, KEY + str(article)]


@fragments.reads(cache_keys)
def fragment(request, article=None):
    try:
        pk = int(article)
    except (TypeError, ValueError):
        return ""
    found = fragments.cache_get_many(request, [GENERATION_KEY, KEY + str(pk)])
    current = found.get(GENERATION_KEY) or 0
    entry = found.get(KEY + str(pk))
    if entry is not None and entry[0] == current:
        return mark_safe(entry[1])  # noqa: S308 - rendered from our own template
    source = ArticlePage.objects.filter(pk=pk, live=True).first()
    html = ""
    if source is not None:
        html = render_to_string("search/includes/related.html", {"stories": related(source)})
    cache.set(KEY + str(pk), (current, html), CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered from our own template


def related(article: ArticlePage, count: int = RELATED_COUNT) -> list[ArticlePage]:
    """A fixed number of queries whatever the number of candidates."""
    scores: dict[int, float] = {}
    tag_ids = list(article.tagged_items.values_list("tag_id", flat=True))
    if tag_ids:
        shared = (
            ArticleTag.objects.filter(tag_id__in=tag_ids, content_object__listed=True)
            .exclude(content_object_id=article.pk)
            .values("content_object_id")
            .annotate(shared=Count("tag_id"))
            .order_by("-shared", "-content_object__published_at")[:CANDIDATES]
        )
        for row in shared:
            scores[row["content_object_id"]] = 3.0 * row["shared"]
    words = [w for w in parse(article.title).words if w.lower() not in STOPWORDS][:6]
    if words:
        # Similar words are looked for within a year before the story (or today): at a
        # million stories, common headline words match a large part of the archive otherwise.
        since = min(article.published_at or timezone.now(), timezone.now()) - SIMILAR_WINDOW
        similar = (
            ArticlePage.objects.filter(listed=True, published_at__gte=since)
            .exclude(pk=article.pk)
            .search(PlainText(" ".join(words), operator="or"), order_by_relevance=True)[:CANDIDATES]
        )
        similar_ids = [a.pk for a in similar]
        for rank, pk in enumerate(similar_ids):
            scores[pk] = scores.get(pk, 0.0) + 3.0 * (1 - rank / CANDIDATES)
    if not scores:
        return []
    candidates = ArticlePage.objects.listing().filter(pk__in=scores).exclude(pk=article.pk)
    now = timezone.now()

    def total(story):
        same_section = 1.0 if story.section_id == article.section_id else 0.0
        return scores[story.pk] + same_section + freshness(story.published_at, now)

    return sorted(candidates, key=lambda s: (-total(s), -s.pk))[:count]
