"""The worker's readership jobs: flushing buffered views, pruning, rolling hours into days."""

import logging
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Min, Sum

from . import clock
from .models import DailySalt, DailyViews, FlushedBatch, HourlyViews, SeenView, TrendingSettings
from .stores import dedup_seconds, get_store

logger = logging.getLogger(__name__)


def flush() -> int:
    moved = get_store().flush()
    if moved:
        logger.info("Flushed %d views into hourly counts", moved)
    return moved


def prune(now=None) -> None:
    now = now or clock.now()
    get_store().prune(now)
    # Whatever the store, nothing salted outlives its purpose in the database either.
    DailySalt.objects.filter(day__lt=clock.utc_day(now)).delete()
    SeenView.objects.filter(seen_at__lt=now - timedelta(seconds=dedup_seconds())).delete()
    FlushedBatch.objects.filter(flushed_at__lt=now - timedelta(days=2)).delete()
    roll_up(now)


def roll_up(now=None) -> int:
    """Hourly rows older than the retention become daily rows, one UTC day at a time."""
    now = now or clock.now()
    keep_days = TrendingSettings.load().hourly_retention_days
    cutoff_day = clock.utc_day(now) - timedelta(days=keep_days)
    cutoff_hour = clock.hour_of(clock.end_of_day(cutoff_day) - timedelta(days=1))
    rolled = 0
    while True:
        oldest = HourlyViews.objects.filter(hour__lt=cutoff_hour).aggregate(h=Min("hour"))["h"]
        if oldest is None:
            return rolled
        day = clock.hour_start(oldest).date()
        first = clock.hour_of(clock.end_of_day(day) - timedelta(days=1))
        hours = HourlyViews.objects.filter(hour__gte=first, hour__lt=first + 24)
        with transaction.atomic():
            totals = list(hours.values_list("article_id").annotate(n=Sum("views")))
            daily = DailyViews._meta.db_table
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {daily} (article_id, day, views) VALUES (%s, %s, %s) "  # noqa: S608 - table name from the model
                    f"ON CONFLICT (article_id, day) DO UPDATE "
                    f"SET views = {daily}.views + excluded.views",
                    [
                        (article, connection.ops.adapt_datefield_value(day), n)
                        for article, n in totals
                    ],
                )
            hours.delete()
        rolled += len(totals)
