"""The Trending scoreboard: each young article's decayed views, kept up to date incrementally.

Summing every recent story's hourly rows at each ranking costs over a second at a million
stories (BENCHMARKS.md). Instead :func:`update` folds in what changed since its last run:

- **absorb**: hourly rows of the window with views not yet added (``views > absorbed``, a small
  partial index) add ``delta × 2 ** ((hour − epoch) / half-life)`` to their article's score
  (only articles young enough to trend have one), and are marked absorbed;
- **expire**: hours that left the window take back exactly what they had added (their
  ``absorbed`` views, never the ones still pending);
- **rescale**: once a day the epoch moves to the current hour, so the weights stay far from
  floating-point overflow whatever the half-life;
- **rebuild**: the first time, after the settings change, when the clock went back, or when the
  worker was away longer than the window: every row of the window from scratch.

Any writer of hourly rows (the stores, the demo, a test, SQL) is picked up: a new row starts
with ``absorbed = 0``. Whoever updates holds the :class:`.models.Scoreboard` row's lock
(PostgreSQL; SQLite's write lock does the same), so nothing is added twice; a reader who finds it
taken ranks from the scores as they are, at most one worker run behind.
"""

import logging
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F

from newsdesk.news.models import ArticlePage

from . import clock
from .models import HourlyViews, Scoreboard, TrendingScore, TrendingSettings

logger = logging.getLogger(__name__)

RESCALE_AFTER_HOURS = 24
HOURLY = HourlyViews._meta.db_table
SCORES = TrendingScore._meta.db_table
ARTICLES = ArticlePage._meta.db_table
WEIGHT = "POWER(CAST(2 AS DOUBLE PRECISION), (h.hour - %s) * %s)"


def _datetime(value: datetime):
    return connection.ops.adapt_datetimefield_value(value)


def update(now: datetime | None = None, config: TrendingSettings | None = None, wait=True) -> bool:
    """Bring the scores up to ``now``; False when another process is doing it (``wait=False``)."""
    now = now or clock.now()
    config = config or TrendingSettings.load()
    hour = clock.hour_of(now)
    first = hour - config.window_hours + 1
    with transaction.atomic():
        state = _lock(wait)
        if state is None:
            return False
        if (
            state.first_hour is None
            or (state.half_life_hours, state.window_hours, state.max_age_days)
            != (config.half_life_hours, config.window_hours, config.max_age_days)
            or first < state.first_hour
            or first - state.first_hour >= config.window_hours
        ):
            rebuild(state, config, now)
            return True
        moved = first > state.first_hour
        if moved:
            _expire(state, first)
            _forget_old_articles(now, config)
        if hour - state.epoch_hour >= RESCALE_AFTER_HOURS:
            _rescale(state, hour)
            moved = True
        _absorb(state, now, config)
        if moved:
            state.save(update_fields=["first_hour", "epoch_hour"])
    return True


def _lock(wait: bool) -> Scoreboard | None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Scoreboard._meta.db_table} (id) VALUES (1) ON CONFLICT (id) DO NOTHING"  # noqa: S608 - table name from the model
        )
    rows = Scoreboard.objects.filter(pk=1)
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=not wait)
    return rows.first()


def rebuild(state: Scoreboard, config: TrendingSettings, now: datetime) -> None:
    """Every score from the window's rows (inside update's transaction and lock)."""
    hour = clock.hour_of(now)
    first = hour - config.window_hours + 1
    inverse = 1.0 / config.half_life_hours
    with connection.cursor() as cursor:
        # Mark first, then sum what is marked: views written meanwhile stay pending.
        cursor.execute(
            f"UPDATE {HOURLY} SET absorbed = views "  # noqa: S608 - table names from models
            "WHERE hour >= %s AND (absorbed IS NULL OR views <> absorbed)",
            [first],
        )
        cursor.execute(f"DELETE FROM {SCORES}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {SCORES} (article_id, weighted, views) "  # noqa: S608
            f"SELECT h.article_id, SUM(h.absorbed * {WEIGHT}), SUM(h.absorbed) "
            f"FROM {HOURLY} h JOIN {ARTICLES} a ON a.page_ptr_id = h.article_id "
            "WHERE h.hour >= %s AND a.published_at >= %s "
            "GROUP BY h.article_id HAVING SUM(h.absorbed) > 0",
            [hour, inverse, first, _datetime(now - timedelta(days=config.max_age_days))],
        )
        built = cursor.rowcount
    state.epoch_hour = hour
    state.first_hour = first
    state.half_life_hours = config.half_life_hours
    state.window_hours = config.window_hours
    state.max_age_days = config.max_age_days
    state.save()
    logger.info("Trending scoreboard rebuilt: %d articles from hour %d", built, first)


def _expire(state: Scoreboard, first: int) -> None:
    """Take back what the hours leaving the window added."""
    inverse = 1.0 / state.half_life_hours
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {SCORES} SET weighted = {SCORES}.weighted - gone.weighted, "  # noqa: S608
            f"views = {SCORES}.views - gone.views "
            f"FROM (SELECT h.article_id, SUM(h.absorbed * {WEIGHT}) AS weighted, "
            f"SUM(h.absorbed) AS views FROM {HOURLY} h "
            "WHERE h.hour >= %s AND h.hour < %s AND h.absorbed > 0 GROUP BY h.article_id) gone "
            f"WHERE {SCORES}.article_id = gone.article_id",
            [state.epoch_hour, inverse, state.first_hour, first],
        )
        cursor.execute(f"DELETE FROM {SCORES} WHERE views <= 0")  # noqa: S608
    state.first_hour = first


def _forget_old_articles(now: datetime, config: TrendingSettings) -> None:
    """Articles past the age limit can no longer trend (once an hour, as the window moves)."""
    cutoff = now - timedelta(days=config.max_age_days)
    TrendingScore.objects.filter(article__published_at__lt=cutoff).delete()


def _rescale(state: Scoreboard, hour: int) -> None:
    factor = 2.0 ** ((state.epoch_hour - hour) / state.half_life_hours)
    TrendingScore.objects.update(weighted=F("weighted") * factor)
    state.epoch_hour = hour


def _absorb(state: Scoreboard, now: datetime, config: TrendingSettings) -> int:
    """Add the window's views not yet added; returns how many rows had some."""
    inverse = 1.0 / state.half_life_hours
    lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        # Locked rows: a beacon adding to one waits until this commits, then stays pending.
        cursor.execute(
            f"SELECT article_id, hour, views - absorbed FROM {HOURLY} "  # noqa: S608
            f"WHERE hour >= %s AND views > absorbed{lock}",
            [state.first_hour],
        )
        pending = cursor.fetchall()
        if not pending:
            return 0
        totals: dict[int, list] = {}
        for article_id, hour, delta in pending:
            total = totals.setdefault(article_id, [0.0, 0])
            total[0] += delta * 2.0 ** ((hour - state.epoch_hour) * inverse)
            total[1] += delta
        cutoff = _datetime(now - timedelta(days=config.max_age_days))
        cursor.executemany(
            f"INSERT INTO {SCORES} (article_id, weighted, views) "  # noqa: S608
            f"SELECT page_ptr_id, %s, %s FROM {ARTICLES} "
            "WHERE page_ptr_id = %s AND published_at >= %s "
            f"ON CONFLICT (article_id) DO UPDATE SET weighted = {SCORES}.weighted + "
            f"excluded.weighted, views = {SCORES}.views + excluded.views",
            [
                (weighted, views, article_id, cutoff)
                for article_id, (weighted, views) in totals.items()
            ],
        )
        cursor.executemany(
            f"UPDATE {HOURLY} SET absorbed = absorbed + %s "  # noqa: S608
            "WHERE article_id = %s AND hour = %s",
            [(delta, article_id, hour) for article_id, hour, delta in pending],
        )
    return len(pending)


def ranking_sql(now: datetime, config: TrendingSettings, section_id=None, limit=None):
    """The ranking's SQL and parameters: the best scores of young listed articles."""
    sql = (
        "SELECT s.article_id, s.weighted, s.views, a.section_id "  # noqa: S608
        f"FROM {SCORES} s JOIN {ARTICLES} a ON a.page_ptr_id = s.article_id "
        "WHERE a.listed AND a.published_at >= %s AND s.views > 0"
    )
    params = [_datetime(now - timedelta(days=config.max_age_days))]
    if section_id is not None:
        sql += " AND a.section_id = %s"
        params.append(section_id)
    sql += " ORDER BY s.weighted DESC, a.published_at DESC, s.article_id DESC"
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    return sql, params


def ranked_rows(now: datetime, config: TrendingSettings, section_id=None, limit=None):
    """(article id, score, views, section id) best first, from the scores: an index read."""
    # The state and the scores from the same database (the primary, where they are written),
    # never the state from a lagging replica.
    state = Scoreboard.objects.using("default").filter(pk=1).first()
    if state is None or state.epoch_hour is None:
        return []
    # The decayed score now: views dated by the start of their hour.
    factor = 2.0 ** ((state.epoch_hour - now.timestamp() / 3600) / state.half_life_hours)
    with connection.cursor() as cursor:
        cursor.execute(*ranking_sql(now, config, section_id, limit))
        return [
            (article_id, weighted * factor, views, section)
            for article_id, weighted, views, section in cursor.fetchall()
        ]
