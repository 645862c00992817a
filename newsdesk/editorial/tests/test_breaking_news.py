"""The breaking-news banner: flagged by an editor with an end time, on every page, cached pages
included, from the moment it is saved until the moment it ends."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from newsdesk.core.signals import site_changed
from newsdesk.core.testing import soup, text
from newsdesk.editorial.models import BreakingNews

from .newsroom import live_article, local

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ENDS = NOW + timedelta(minutes=5)  # within the page cache's lifetime


@pytest.fixture
def story(world, editor, reporter):
    return live_article(world, editor, title="Harbour wall breached", authors=[reporter])


@pytest.fixture
def quiet(world, editor, reporter):
    return live_article(world, editor, title="A quiet story", authors=[reporter])


def banner(response):
    found = soup(response.content).select_one("aside.breaking-news")
    return None if found is None else (text(found), found.a["href"])


def flag(client, editor, article, ends_at, headline=""):
    client.force_login(editor)
    response = client.post(
        reverse("wagtailsnippets_editorial_breakingnews:add"),
        {"article": article.pk, "headline": headline, "ends_at": local(ends_at)},
    )
    client.logout()
    return response


def test_the_banner_appears_on_cached_pages_at_once_and_goes_at_its_end(
    client, editor, story, quiet
):
    pages = ["/", "/world/", quiet.url, "/corrections/"]
    with time_machine.travel(NOW, tick=False):
        for path in pages:
            assert banner(client.get(path)) is None
            assert client.get(path)["X-Cache"] == "HIT"
        flag(client, editor, story, ENDS, headline="Harbour wall breached: homes evacuated")
        alert = BreakingNews.objects.get()
        assert alert.created_by == editor
        for path in pages:
            assert banner(client.get(path)) == (
                "Breaking Harbour wall breached: homes evacuated",
                story.url,
            ), path
            assert client.get(path)["X-Cache"] == "HIT", path

    with time_machine.travel(ENDS - timedelta(seconds=1), tick=False):
        assert banner(client.get("/")) is not None
    # Nothing purges the app's cache at the end: the fragment, checked on every hit, ends it.
    with time_machine.travel(ENDS, tick=False):
        for path in pages:
            response = client.get(path)
            assert response["X-Cache"] == "HIT" and banner(response) is None, path


def test_front_caches_are_purged_when_the_alert_changes_and_when_it_ends(
    client, editor, story, settings
):
    """Front caches keep whole pages: a change purges them at once, and a task deferred to the
    end time purges them again (the worker runs it then)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    purges = []

    def record(sender, **kwargs):
        purges.append(sender)

    site_changed.connect(record)
    try:
        with time_machine.travel(NOW, tick=False):
            flag(client, editor, story, ENDS)
        assert purges == [BreakingNews]
        [deferred] = [r for r in default_task_backend.results if r.task.name == "banner_ended"]
        assert deferred.task.run_after == ENDS
        deferred.task.call()
        assert purges == [BreakingNews, None]
    finally:
        site_changed.disconnect(record)


def test_the_banner_uses_the_headline_and_follows_the_article(client, editor, story):
    with time_machine.travel(NOW, tick=False):
        flag(client, editor, story, ENDS)
        assert banner(client.get("/")) == ("Breaking Harbour wall breached", story.url)
        story.title = "Harbour wall holds"
        story.save_revision().publish()
        assert banner(client.get("/")) == ("Breaking Harbour wall holds", story.url)
        story.unpublish()
        assert banner(client.get("/")) is None


def test_deleting_the_alert_removes_the_banner(client, editor, story):
    with time_machine.travel(NOW, tick=False):
        flag(client, editor, story, ENDS)
        assert banner(client.get("/")) is not None
        client.force_login(editor)
        alert = BreakingNews.objects.get()
        client.post(reverse("wagtailsnippets_editorial_breakingnews:delete", args=[alert.pk]))
        client.logout()
        assert not BreakingNews.objects.exists()
        assert banner(client.get("/")) is None


def test_an_end_time_in_the_past_or_a_draft_is_refused_with_a_reason(
    client, editor, story, world, reporter
):
    with time_machine.travel(NOW, tick=False):
        client.force_login(editor)
        response = client.post(
            reverse("wagtailsnippets_editorial_breakingnews:add"),
            {
                "article": story.pk,
                "headline": "Kept as typed",
                "ends_at": local(NOW - timedelta(minutes=5)),
            },
        )
        assert response.status_code == 200
        page = soup(response.content)
        assert "The end time is in the past" in text(page.select_one("main"))
        assert page.select_one("input[name=headline]")["value"] == "Kept as typed"
        draft = live_article(world, editor, title="Not yet", authors=[reporter])
        draft.unpublish()
        response = client.post(
            reverse("wagtailsnippets_editorial_breakingnews:add"),
            {"article": draft.pk, "headline": "", "ends_at": local(ENDS)},
        )
        assert "not published" in text(soup(response.content).select_one("main"))
        assert not BreakingNews.objects.exists()


def test_rendering_the_banner_on_a_cache_hit_reads_no_database(
    client, editor, story, django_assert_num_queries
):
    with time_machine.travel(NOW, tick=False):
        flag(client, editor, story, ENDS)
        client.get("/")
        client.get("/")
        with django_assert_num_queries(0):
            response = client.get("/")
        assert response["X-Cache"] == "HIT" and banner(response) is not None
