"""The Trending ranking and the figures of the editors' dashboard.

Score of an article: the sum of its views, each weighted ``0.5 ** (age / half-life)`` by the
age of its hour (views are dated by the start of their hour), over the window (48 hours by
default), for articles first published within ``max_age_days``; ties go to the newer article.
The scores are kept incrementally by :mod:`.scoreboard`, so ranking reads the best rows of a
small table instead of summing every recent hourly row (BENCHMARKS.md).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Sum

from newsdesk.news.models import ArticlePage, SectionPage

from . import clock, scoreboard
from .models import DailyViews, HourlyViews, TrendingSettings


@dataclass
class Score:
    article_id: int
    score: float
    views: int


@dataclass
class Item:
    article: ArticlePage
    score: float | None = None
    views: int | None = None


@dataclass
class Trending:
    items: list[Item]
    is_trending: bool  # False: too little readership, the newest stories instead


def current_hour(now: datetime) -> int:
    return clock.hour_of(now)


def scores(
    section_id: int | None = None,
    limit: int = 10,
    now: datetime | None = None,
    config: TrendingSettings | None = None,
) -> list[Score]:
    now = now or clock.now()
    config = config or TrendingSettings.load()
    scoreboard.update(now, config, wait=False)
    rows = scoreboard.ranked_rows(now, config, section_id, limit)
    return [Score(article_id, score, views) for article_id, score, views, _ in rows]


def scores_by_scope(now: datetime | None = None, config: TrendingSettings | None = None):
    """Every ranked article in one pass: {None: site-wide ranking, section id: its ranking}.
    One query for every list, instead of one per list (the worker refreshes them all)."""
    now = now or clock.now()
    config = config or TrendingSettings.load()
    scoreboard.update(now, config)
    ranking = {None: []}
    for article_id, score, views, section in scoreboard.ranked_rows(now, config):
        ranked = Score(article_id, score, views)
        ranking[None].append(ranked)
        ranking.setdefault(section, []).append(ranked)
    return ranking


def trending(
    section_id: int | None = None, count: int = 5, now=None, ranked: list[Score] | None = None
) -> Trending:
    """The list readers see; ``ranked`` when the ranking was read already (best first)."""
    config = TrendingSettings.load()
    if ranked is None:
        ranked = scores(section_id, limit=count + 5, now=now, config=config)
    else:
        ranked = ranked[: count + 5]
    articles = ArticlePage.objects.listing().in_bulk([s.article_id for s in ranked])
    items = [
        Item(articles[s.article_id], s.score, s.views) for s in ranked if s.article_id in articles
    ][:count]
    if len(items) >= config.minimum_articles:
        return Trending(items, True)
    newest = ArticlePage.objects.listing()
    if section_id is not None:
        newest = newest.filter(section_id=section_id)
    return Trending([Item(article) for article in newest[:count]], False)


# --- The editors' dashboard --------------------------------------------------------------------


def hourly_series(article_ids: list[int], hours: int = 48, now=None) -> dict[int, list[int]]:
    """Views per hour (oldest first, the current hour last) of each article."""
    last = current_hour(now or clock.now())
    first = last - hours + 1
    series = {article_id: [0] * hours for article_id in article_ids}
    for row in HourlyViews.objects.filter(
        article_id__in=article_ids, hour__gte=first, hour__lte=last
    ).values("article_id", "hour", "views"):
        series[row["article_id"]][row["hour"] - first] += row["views"]
    return series


def views_by_section(hours: int = 48, now=None) -> list[tuple[SectionPage, int]]:
    first = current_hour(now or clock.now()) - hours + 1
    totals = dict(
        HourlyViews.objects.filter(hour__gte=first)
        .values_list("article__section")
        .annotate(views=Sum("views"))
        .values_list("article__section", "views")
    )
    sections = SectionPage.objects.filter(pk__in=[pk for pk in totals if pk]).order_by("path")
    return sorted(
        ((section, totals[section.pk]) for section in sections), key=lambda pair: -pair[1]
    )


def daily_history(article_id: int, days: int = 90, now=None) -> list[tuple[object, int]]:
    """Views per UTC day over the last ``days`` days, from hourly rows and daily roll-ups."""
    today = clock.utc_day(now or clock.now())
    first_day = today - timedelta(days=days - 1)
    totals = {first_day + timedelta(days=n): 0 for n in range(days)}
    first_hour = clock.hour_of(
        datetime(first_day.year, first_day.month, first_day.day, tzinfo=clock.UTC)
    )
    for hour, views in HourlyViews.objects.filter(
        article_id=article_id, hour__gte=first_hour
    ).values_list("hour", "views"):
        day = clock.hour_start(hour).date()
        if day in totals:
            totals[day] += views
    for day, views in DailyViews.objects.filter(
        article_id=article_id, day__gte=first_day
    ).values_list("day", "views"):
        totals[day] = totals.get(day, 0) + views
    return sorted(totals.items())


def total_views(article_id: int) -> int:
    hourly = HourlyViews.objects.filter(article_id=article_id).aggregate(n=Sum("views"))["n"]
    daily = DailyViews.objects.filter(article_id=article_id).aggregate(n=Sum("views"))["n"]
    return (hourly or 0) + (daily or 0)


def last_hour_views(now=None) -> int:
    hour = current_hour(now or clock.now())
    return HourlyViews.objects.filter(hour=hour).aggregate(n=Sum("views"))["n"] or 0
