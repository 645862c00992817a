"""Running a reader's search: filters, ranking with recency, a bounded result count.

Ranking: the backend scores every match (PostgreSQL ``ts_rank`` with the headline weighted A,
the standfirst B and the body D; SQLite FTS5 ``bm25`` with the headline column weighted 10:1 and
the standfirst counted twice). The best :data:`CANDIDATES` matches are then ordered by

    relevance × (1 + RECENCY_WEIGHT × ½ ^ (age in days / RECENCY_HALF_LIFE_DAYS))

so freshness adds at most 15 %: it decides between stories of similar relevance (a story from
today beats a year-old one scoring up to 15 % higher) but never lifts a weak match over a strong
one; equal scores go to the newer story.

On PostgreSQL the candidates are the most relevant of the newest matches only (see
``newsdesk.search.documents``: ranking every match of a common word took seconds at a million
articles); the page says so whenever there are more matches than candidates.

Counting every match of a common word at a million articles costs as much as the search itself,
so the count is exact up to :data:`COUNT_CAP` and shown as "more than 200" beyond: the count is
never estimated.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from newsdesk.news.models import ArticlePage, SectionPage

from . import documents
from .backends import ranked_articles
from .query import ParsedQuery

CANDIDATES = 200
PAGE_SIZE = 20
COUNT_CAP = 200
RECENCY_WEIGHT = 0.15
RECENCY_HALF_LIFE_DAYS = 30
SORTS = ("relevance", "newest")


@dataclass
class Filters:
    section: SectionPage | None = None
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"


@dataclass
class Candidate:
    """What ranking needs of an article; the shown ones are then loaded whole."""

    pk: int
    published_at: datetime | None


@dataclass
class Hit:
    article: ArticlePage | Candidate
    relevance: float


@dataclass
class Results:
    hits: list[Hit]
    number: int
    has_next: bool
    count: int
    count_is_capped: bool
    beyond_window: bool = False
    newest_ranked: bool = False  # relevance judged among the newest matches only

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def first_index(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1


def searchable(filters: Filters, light: bool = False):
    """Published, public articles only: drafts, scheduled and unpublished pages are indexed
    (the admin searches them) but never shown to readers. ``light``: only what ranking needs
    (the 200 candidates are ranked; only the 20 shown are loaded whole)."""
    if light:
        # ``listed`` mirrors ``live`` on the article's own row (as the fronts read it): each
        # candidate is checked without a look-up in Wagtail's page table. The shown page is
        # loaded through the full filter below, ``live`` included.
        articles = (
            ArticlePage.objects.filter(listed=True).public().only("page_ptr_id", "published_at")
        )
    else:
        articles = ArticlePage.objects.listing().filter(live=True)
    if filters.section is not None:
        articles = articles.filter(section=filters.section)
    zone = timezone.get_current_timezone()
    if filters.date_from:
        start = timezone.make_aware(datetime.combine(filters.date_from, time.min), zone)
        articles = articles.filter(published_at__gte=start)
    if filters.date_to:
        end = timezone.make_aware(
            datetime.combine(filters.date_to + timedelta(days=1), time.min), zone
        )
        articles = articles.filter(published_at__lt=end)
    return articles


def freshness(published_at, now) -> float:
    if published_at is None:
        return 0.0
    age_days = max(0.0, (now - published_at).total_seconds() / 86400)
    return 0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS)


def rerank(hits: list[Hit], now=None) -> list[Hit]:
    now = now or timezone.now()

    def key(hit: Hit):
        boosted = hit.relevance * (1 + RECENCY_WEIGHT * freshness(hit.article.published_at, now))
        published = hit.article.published_at.timestamp() if hit.article.published_at else 0
        return (-round(boosted, 9), -published, -hit.article.pk)

    return sorted(hits, key=key)


def run(query: ParsedQuery, filters: Filters, page: int = 1) -> Results:
    articles = searchable(filters)
    wagtail_query = query.to_wagtail()
    start = (page - 1) * PAGE_SIZE
    if filters.sort == "newest":
        found = list(
            articles.order_by("-published_at", "-id").search(
                wagtail_query, order_by_relevance=False
            )[start : start + PAGE_SIZE + 1]
        )
        hits = [Hit(article, 0.0) for article in found[:PAGE_SIZE]]
        has_next = len(found) > PAGE_SIZE
        count, capped = count_matches(
            articles, wagtail_query, known=start + len(found), done=not has_next
        )
        return Results(hits, page, has_next, count, capped)

    light = searchable(filters, light=True)
    ranked = ranked_articles(light, wagtail_query, CANDIDATES + 1)
    if ranked is not None:  # PostgreSQL: ids, scores and dates, no article loaded
        candidates = [Hit(Candidate(pk, published), abs(score)) for pk, score, published in ranked]
    else:
        candidates = [
            Hit(article, abs(article._score or 0.0))
            for article in light.search(wagtail_query, order_by_relevance=True).annotate_score(
                "_score"
            )[: CANDIDATES + 1]
        ]
    more = len(candidates) > CANDIDATES
    candidates = candidates[:CANDIDATES]  # the least relevant one only told us there are more
    ranked = rerank(candidates)
    window = ranked[start : start + PAGE_SIZE]
    whole = {a.pk: a for a in articles.filter(pk__in=[hit.article.pk for hit in window])}
    window = [
        Hit(whole[hit.article.pk], hit.relevance) for hit in window if hit.article.pk in whole
    ]
    if not more:
        count, capped = len(candidates), False
    else:
        count, capped = count_matches(articles, wagtail_query, known=CANDIDATES + 1, done=False)
    return Results(
        window,
        page,
        has_next=start + PAGE_SIZE < len(ranked),
        count=count,
        count_is_capped=capped,
        beyond_window=start >= len(ranked) and count > len(ranked),
        newest_ranked=more and documents.enabled(),
    )


def count_matches(articles, wagtail_query, known: int, done: bool) -> tuple[int, bool]:
    """Exact when small; ``(COUNT_CAP, True)`` when there are more (never a full count)."""
    if done:
        return known, False
    if known > COUNT_CAP:
        return COUNT_CAP, True
    found = (
        articles.order_by().search(wagtail_query, order_by_relevance=False)[: COUNT_CAP + 1].count()
    )
    return min(found, COUNT_CAP), found > COUNT_CAP
