"""Flushing buffered views exactly once, retention, and the worker's schedule."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError

from newsdesk.core.scheduler import periodic_tasks
from newsdesk.readership import clock, maintenance, stores
from newsdesk.readership.models import DailyViews, FlushedBatch, HourlyViews
from newsdesk.readership.stores import get_store

from .conftest import BROWSER, send, stored_views

pytestmark = pytest.mark.django_db


def test_the_worker_flushes_every_minute_by_default(settings):
    jobs = {job.name: job for job in periodic_tasks()}
    assert jobs["readership.flush_views"].every == timedelta(seconds=60)
    assert jobs["readership.prune_views"].every == timedelta(hours=1)
    settings.NEWSDESK_READERSHIP_FLUSH_SECONDS = 5
    jobs = {job.name: job for job in periodic_tasks()}
    assert jobs["readership.flush_views"].every == timedelta(seconds=5)


def test_hourly_rows_older_than_the_retention_become_daily_rows(story):
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    old_day = now - timedelta(days=91)
    first = clock.hour_of(old_day.replace(hour=0))
    HourlyViews.objects.bulk_create(
        [HourlyViews(article=story, hour=first + h, views=h + 1) for h in range(24)]
        + [HourlyViews(article=story, hour=clock.hour_of(now) - 5, views=7)]
    )
    DailyViews.objects.create(article=story, day=old_day.date(), views=100)
    maintenance.roll_up(now)
    assert DailyViews.objects.get(article=story, day=old_day.date()).views == 100 + 300
    assert list(HourlyViews.objects.values_list("views", flat=True)) == [7]
    assert stored_views() == {story.pk: 407}


@pytest.mark.services
def test_a_flush_that_crashes_before_its_commit_loses_nothing(services, story, monkeypatch):
    for n in range(3):
        send_view(story, n)
    real_write = stores.write_batch

    def crash(batch_id, counts):
        raise RuntimeError("worker killed mid-flush")

    monkeypatch.setattr(stores, "write_batch", crash)
    with pytest.raises(RuntimeError):
        maintenance.flush()
    assert HourlyViews.objects.count() == 0
    assert get_store().pending() == {story.pk: 3}  # sealed into a batch, still in Redis
    send_view(story, 3)
    monkeypatch.setattr(stores, "write_batch", real_write)
    assert maintenance.flush() == 4
    assert stored_views() == {story.pk: 4}
    assert get_store().pending() == {}


@pytest.mark.services
def test_a_flush_that_crashes_after_its_commit_never_counts_twice(services, story, monkeypatch):
    for n in range(5):
        send_view(story, n)
    store = get_store()
    real_delete = store.client.delete
    monkeypatch.setattr(
        store.client, "delete", lambda *keys: (_ for _ in ()).throw(RuntimeError("killed"))
    )
    with pytest.raises(RuntimeError):
        maintenance.flush()
    assert stored_views_without_flush() == {story.pk: 5}
    assert FlushedBatch.objects.count() == 1
    monkeypatch.setattr(store.client, "delete", real_delete)
    maintenance.flush()  # finds the batch already written: deletes it, adds nothing
    assert stored_views_without_flush() == {story.pk: 5}
    assert store.pending() == {}


@pytest.mark.services
def test_two_flushes_racing_for_one_batch_write_it_once(services, story):
    for n in range(2):
        send_view(story, n)
    counts = {f"{story.pk}:{clock.hour_of(clock.now())}".encode(): b"2"}
    assert stores.write_batch("race", counts) == 2
    with pytest.raises(IntegrityError):
        stores.write_batch("race", counts)
    assert stored_views_without_flush() == {story.pk: 2}


@pytest.mark.services
def test_losing_redis_loses_at_most_the_views_since_the_last_flush(services, story):
    for n in range(4):
        send_view(story, n)
    maintenance.flush()
    for n in range(4, 6):
        send_view(story, n)
    get_store().client.flushdb()  # Redis restarted without persistence
    assert stored_views() == {story.pk: 4}


def send_view(story, n):
    from django.test import Client

    response = send(Client(), story.pk, ip=f"192.0.2.{n + 1}", agent=BROWSER)
    assert response["X-Readership"] == "counted"


def stored_views_without_flush():
    return {row.article_id: row.views for row in HourlyViews.objects.all()}
