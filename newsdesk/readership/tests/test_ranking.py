"""The trending score: decay by half-life, the window, the age limit, ties, the fallback."""

from datetime import UTC, datetime, timedelta

import pytest

from newsdesk.news.factories import ArticlePageFactory
from newsdesk.readership import clock, ranking
from newsdesk.readership.models import HourlyViews, TrendingSettings

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 12, 30, tzinfo=UTC)
HOUR = clock.hour_of(NOW)


def article(section, title, hours_old=1):
    return ArticlePageFactory(
        parent=section, title=title, first_published_at=NOW - timedelta(hours=hours_old)
    )


def views(page, hours_ago: int, count: int):
    HourlyViews.objects.create(article=page, hour=HOUR - hours_ago, views=count)


def test_views_decay_with_a_six_hour_half_life(section):
    fresh, older = article(section, "Fresh"), article(section, "Older", hours_old=20)
    views(fresh, 0, 10)  # the current hour, dated by its start: half an hour ago at 12:30
    views(older, 12, 40)  # twelve hours before that: two more half-lives
    scores = {s.article_id: s for s in ranking.scores(now=NOW)}
    assert scores[fresh.pk].score == pytest.approx(10 * 0.5 ** (0.5 / 6))
    assert scores[older.pk].score == pytest.approx(40 * 0.5 ** (12.5 / 6))
    assert [s.article_id for s in ranking.scores(now=NOW)] == [fresh.pk, older.pk]


def test_only_the_window_and_young_articles_count(section):
    young, old = article(section, "Young", hours_old=30), article(section, "Old", hours_old=24 * 4)
    views(young, 47, 100)  # inside the 48-hour window
    views(young, 48, 1000)  # outside it
    views(old, 1, 5000)  # published four days ago: too old to trend (3 days)
    ranked = ranking.scores(now=NOW)
    assert [s.article_id for s in ranked] == [young.pk]
    assert ranked[0].views == 100


def test_ties_go_to_the_newer_article(section):
    earlier, later = (
        article(section, "Earlier", hours_old=5),
        article(section, "Later", hours_old=2),
    )
    views(earlier, 1, 7)
    views(later, 1, 7)
    assert [s.article_id for s in ranking.scores(now=NOW)] == [later.pk, earlier.pk]


def test_settings_from_the_admin_change_the_ranking(section):
    steady, spike = article(section, "Steady"), article(section, "Spike")
    views(steady, 20, 100)
    views(spike, 0, 20)
    assert ranking.scores(now=NOW)[0].article_id == spike.pk  # 100 × 2^-3.25 ≈ 10.5 < 20
    config = TrendingSettings.load()
    config.half_life_hours = 24
    config.save()
    assert ranking.scores(now=NOW)[0].article_id == steady.pk  # 100 × 2^-0.81 ≈ 57 > 20


def test_per_section_lists(section):
    from newsdesk.news.factories import SectionPageFactory

    other = SectionPageFactory(title="Science", slug="science")
    here, there = article(section, "Here"), article(other, "There")
    views(here, 1, 3)
    views(there, 1, 9)
    assert [s.article_id for s in ranking.scores(section.pk, now=NOW)] == [here.pk]
    assert [s.article_id for s in ranking.scores(other.pk, now=NOW)] == [there.pk]


def test_too_little_data_falls_back_to_the_newest_articles_and_says_so(section):
    pages = [article(section, f"Story {n}", hours_old=n + 1) for n in range(6)]
    views(pages[5], 1, 50)
    views(pages[4], 1, 40)
    result = ranking.trending(now=NOW)
    assert not result.is_trending  # two read articles, fewer than the minimum of three
    assert [i.article.pk for i in result.items] == [p.pk for p in pages[:5]]
    views(pages[3], 1, 30)
    result = ranking.trending(now=NOW)
    assert result.is_trending
    assert [i.article.pk for i in result.items] == [pages[5].pk, pages[4].pk, pages[3].pk]


def test_unpublished_articles_leave_the_list(section):
    pages = [article(section, f"Story {n}") for n in range(4)]
    for n, page in enumerate(pages):
        views(page, 1, 10 + n)
    pages[3].unpublish()
    assert [i.article.pk for i in ranking.trending(now=NOW).items] == [
        pages[2].pk,
        pages[1].pk,
        pages[0].pk,
    ]


def test_the_worker_ranks_once_and_stores_every_list_readers_would_compute(section):
    """refresh_all: one ranking pass gives the same site-wide and per-section lists (and HTML)
    as each list computed on its own, and readers then find them stored."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from newsdesk.news.factories import SectionPageFactory
    from newsdesk.readership import trending

    other = SectionPageFactory(title="Science", slug="science")
    stories = [
        article(section if n % 2 else other, f"Story {n}", hours_old=n + 1) for n in range(8)
    ]
    for n, page in enumerate(stories):
        views(page, n % 5, 10 + 7 * n)
    by_scope = ranking.scores_by_scope(now=NOW)
    for scope in (None, section.pk, other.pk):
        expected = ranking.scores(scope, limit=100, now=NOW)
        assert [s.article_id for s in by_scope[scope]] == [s.article_id for s in expected]
    on_demand = {
        scope: trending.render(page, ranking.trending(scope, now=NOW))
        for scope, page in ((None, None), (section.pk, section), (other.pk, other))
    }
    cache.clear()
    assert trending.refresh_all(now=NOW) == 3
    with CaptureQueriesContext(connection) as captured:
        stored = {
            None: trending.fragment(None),
            section.pk: trending.fragment(None, section=section.pk),
            other.pk: trending.fragment(None, section=other.pk),
        }
    assert not captured.captured_queries  # readers only read the stored lists
    assert stored == on_demand
    assert "Story 7" in stored[None]
