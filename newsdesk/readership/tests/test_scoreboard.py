"""The incrementally kept scores equal the definition (a full sum over the window's hourly
rows) whatever happens between updates: views arriving in any hour, hours leaving the window
with views still pending, the daily rescale, settings changes, a clock that goes back, several
updaters and writers at once. Runs on SQLite here and on PostgreSQL in `make test-services`."""

import random
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, connections
from django.db.models import F

from newsdesk.core import testing
from newsdesk.news.factories import ArticlePageFactory
from newsdesk.readership import clock, ranking, scoreboard
from newsdesk.readership.models import HourlyViews, Scoreboard, TrendingScore, TrendingSettings

START = datetime(2026, 11, 20, 6, 10, tzinfo=UTC)


def add_views(article_id: int, hour: int, count: int) -> None:
    """What the stores' flush does: add to the (article, hour) row, in one statement."""
    table = HourlyViews._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (article_id, hour, views) VALUES (%s, %s, %s) "  # noqa: S608
            f"ON CONFLICT (article_id, hour) DO UPDATE SET views = {table}.views + excluded.views",
            [article_id, hour, count],
        )


def expected(now: datetime, config: TrendingSettings) -> dict[int, tuple[float, int]]:
    """The definition, summed from every hourly row: {article: (score, views)}."""
    first = clock.hour_of(now) - config.window_hours + 1
    cutoff = now - timedelta(days=config.max_age_days)
    hours_now = now.timestamp() / 3600
    totals: dict[int, list] = {}
    rows = HourlyViews.objects.filter(
        hour__gte=first, article__listed=True, article__published_at__gte=cutoff
    ).values_list("article_id", "hour", "views")
    for article_id, hour, views in rows:
        total = totals.setdefault(article_id, [0.0, 0])
        total[0] += views * 0.5 ** ((hours_now - hour) / config.half_life_hours)
        total[1] += views
    return {a: (score, views) for a, (score, views) in totals.items() if views}


def assert_matches(now: datetime, config: TrendingSettings) -> None:
    kept = {a: (score, views) for a, score, views, _ in scoreboard.ranked_rows(now, config)}
    want = expected(now, config)
    assert set(kept) == set(want)
    for article_id, (score, views) in want.items():
        assert kept[article_id][1] == views, article_id
        assert kept[article_id][0] == pytest.approx(score, rel=1e-9), article_id
    order = [a for a, *_ in scoreboard.ranked_rows(now, config)]
    assert order == sorted(order, key=lambda a: -want[a][0])


@pytest.mark.django_db
def test_random_views_over_five_days_match_the_full_sum(section):
    rng = random.Random(5)
    config = TrendingSettings.load()
    articles = [
        ArticlePageFactory(parent=section, first_published_at=START + timedelta(hours=h)).pk
        for h in range(-90, 100, 10)
    ]
    now = START
    for step in range(120):
        now += timedelta(minutes=rng.choice([1, 7, 30, 61, 180]))
        hour = clock.hour_of(now)
        for _ in range(rng.randint(0, 8)):
            # Mostly this hour's views; some late ones for older hours, some already
            # outside the window, some for stories too old to trend.
            late = rng.choice([0, 0, 0, 1, 5, 47, 48, 60])
            add_views(rng.choice(articles), hour - late, rng.randint(1, 50))
        if step % 3:
            scoreboard.update(now, config)
            assert_matches(now, config)
    state = Scoreboard.objects.get()
    assert state.epoch_hour > clock.hour_of(START)  # rescaled along the way
    assert (
        HourlyViews.objects.filter(hour__gte=state.first_hour, views__gt=F("absorbed")).count() == 0
    )


@pytest.mark.django_db
def test_views_pending_when_their_hour_leaves_the_window_are_never_counted(section):
    config = TrendingSettings.load()
    story = ArticlePageFactory(parent=section, first_published_at=START).pk
    hour = clock.hour_of(START)
    add_views(story, hour, 10)
    scoreboard.update(START, config)
    add_views(story, hour, 5)  # arrives, then the hour leaves before the next update
    later = START + timedelta(hours=config.window_hours)
    add_views(story, clock.hour_of(later), 3)
    scoreboard.update(later, config)
    assert_matches(later, config)
    assert TrendingScore.objects.get().views == 3


@pytest.mark.django_db
def test_settings_changes_and_a_clock_going_back_rebuild(section):
    config = TrendingSettings.load()
    stories = [ArticlePageFactory(parent=section, first_published_at=START).pk for _ in range(3)]
    for n, story in enumerate(stories):
        add_views(story, clock.hour_of(START) - n * 10, 100 - n)
    scoreboard.update(START, config)
    assert_matches(START, config)
    config.half_life_hours, config.window_hours = 1.5, 12
    config.save()
    scoreboard.update(START, config)
    assert_matches(START, config)
    earlier = START - timedelta(hours=5)
    scoreboard.update(earlier, config)
    assert_matches(earlier, config)


@pytest.mark.django_db
def test_rows_written_before_the_scoreboard_existed_are_read_on_the_first_build(section):
    story = ArticlePageFactory(parent=section, first_published_at=START).pk
    HourlyViews.objects.create(article_id=story, hour=clock.hour_of(START), views=9)
    HourlyViews.objects.filter(article_id=story).update(absorbed=None)
    config = TrendingSettings.load()
    assert [s.views for s in ranking.scores(now=START, config=config)] == [9]


@pytest.mark.django_db
def test_an_unpublished_story_leaves_the_ranking_and_returns_with_its_views(section):
    config = TrendingSettings.load()
    story = ArticlePageFactory(parent=section, first_published_at=START)
    add_views(story.pk, clock.hour_of(START), 4)
    assert [s.views for s in ranking.scores(now=START, config=config)] == [4]
    story.unpublish()
    assert ranking.scores(now=START, config=config) == []
    story.save_revision().publish()
    assert [s.views for s in ranking.scores(now=START, config=config)] == [4]


def write_and_update(stories: list[int], hour: int, seed: int, now_timestamp: float) -> None:
    """One process's share of the concurrency tests: views, and updates between them."""
    rng = random.Random(seed)
    now = datetime.fromtimestamp(now_timestamp, UTC)
    config = TrendingSettings.load()
    for n in range(60):
        add_views(rng.choice(stories), hour - rng.choice([0, 1, 2]), 1)
        if n % 4 == seed % 4:
            scoreboard.update(now, config, wait=False)


def check_totals(now_timestamp: float) -> int:
    now = datetime.fromtimestamp(now_timestamp, UTC)
    config = TrendingSettings.load()
    scoreboard.update(now, config)
    assert_matches(now, config)
    return sum(v for _, _, v, _ in scoreboard.ranked_rows(now, config))


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_and_updaters_add_every_view_once_on_postgresql(section):
    """Four threads add views and update at once (the worker, readers on a cache miss, other
    machines); one last update, and the scores equal the full sum."""
    now = datetime.now(UTC).replace(minute=30, second=0, microsecond=0)
    stories = [ArticlePageFactory(parent=section, first_published_at=now).pk for _ in range(5)]
    errors = []

    def run(seed):
        try:
            write_and_update(stories, clock.hour_of(now), seed, now.timestamp())
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert connection.vendor == "postgresql"
    assert check_totals(now.timestamp()) == 240


def test_concurrent_processes_add_every_view_once_on_sqlite(tmp_path):
    """The embedded default: a web process and the worker share one SQLite file."""
    env = testing.site_env(tmp_path)
    testing.newsdesk(env, "migrate", "--noinput")
    now = datetime.now(UTC).replace(minute=30, second=0, microsecond=0)
    stories = testing.shell(
        env,
        "from newsdesk.news.factories import *; from datetime import datetime; "
        "world = SectionPageFactory(title='World', slug='world'); "
        f"now = datetime.fromtimestamp({now.timestamp()}); "
        "print([ArticlePageFactory(parent=world, first_published_at=now).pk for _ in range(5)])",
    )
    script = (
        "from newsdesk.readership.tests.test_scoreboard import write_and_update; "
        f"write_and_update({stories}, {clock.hour_of(now)}, {{seed}}, {now.timestamp()}); print(1)"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "newsdesk", "shell", "-c", script.format(seed=seed)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in range(4)
    ]
    for process in processes:
        _out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err[-3000:]
    total = testing.shell(
        env,
        "from newsdesk.readership.tests.test_scoreboard import check_totals; "
        f"from django.db import connection; assert connection.vendor == 'sqlite'; "
        f"print(check_totals({now.timestamp()}))",
    )
    assert total == "240"
