"""Scheduled publishing and expiry under controlled time (time-machine), through the worker's
periodic job, with the page cache in front as readers meet it; and once with a real worker."""

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from newsdesk.core import testing
from newsdesk.core.scheduler import claim, periodic_tasks
from newsdesk.core.testing import soup, text

from .newsroom import article_form, draft_article, live_article

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GO_LIVE = NOW + timedelta(hours=2)


def reader_paths(article) -> list[str]:
    """Every public page that lists or shows the article."""
    author = article.bylines.first().author
    return ["/", "/world/", f"/authors/{author.slug}/", "/tags/harbours/"]


def headlines(client, path) -> list[str]:
    page = soup(client.get(path).content)
    return [text(link) for link in page.select("main h2 a, main h3 a")]


def visible_everywhere(client, article) -> dict[str, bool]:
    seen = {path: article.title in headlines(client, path) for path in reader_paths(article)}
    seen[article.url] = client.get(article.url).status_code == 200
    return seen


def worker_tick(now) -> bool:
    """What the worker's scheduler thread does every second for this job: claim it when due and
    enqueue it (the test settings run tasks at once)."""
    job = next(job for job in periodic_tasks() if job.name == "editorial.publish_scheduled")
    if claim(job, now):
        job.enqueue()
        return True
    return False


def test_publishing_runs_often_enough_to_keep_the_60_second_promise():
    jobs = {job.name: job for job in periodic_tasks()}
    assert jobs["editorial.publish_scheduled"].every <= timedelta(seconds=30)


def test_a_scheduled_article_appears_everywhere_when_it_goes_live_not_before(
    client, editor, world, reporter, picture
):
    with time_machine.travel(NOW, tick=False):
        article = draft_article(world, editor, title="Harbour reopens", authors=[reporter])
        article.tags.add("Harbours")
        article.save_revision(user=editor)
        client.force_login(editor)
        client.post(
            reverse("wagtailadmin_pages:edit", args=[article.pk]),
            article_form(
                title="Harbour reopens",
                slug=article.slug,
                authors=[reporter],
                article=article,
                image=picture,
                alt="Boats",
                tags="Harbours",
                go_live_at=GO_LIVE,
                action="publish",
            ),
        )
        client.logout()
        article.refresh_from_db()
        assert not article.live
        assert article.scheduled_revision is not None
        # Readers fill the page cache with the fronts as they are before the go-live time.
        assert not any(visible_everywhere(client, article).values())
        worker_tick(NOW)

    with time_machine.travel(GO_LIVE - timedelta(seconds=5), tick=False):
        worker_tick(GO_LIVE - timedelta(seconds=5))
        assert not any(visible_everywhere(client, article).values())

    with time_machine.travel(GO_LIVE + timedelta(seconds=10), tick=False):
        worker_tick(GO_LIVE + timedelta(seconds=10))
        article.refresh_from_db()
        assert article.live
        assert visible_everywhere(client, article) == dict.fromkeys(
            [*reader_paths(article), article.url], True
        )
        # Its publication time is when it went live, so it leads the fronts as the newest.
        assert GO_LIVE <= article.published_at <= GO_LIVE + timedelta(seconds=10)
        assert headlines(client, "/world/")[0] == "Harbour reopens"


def test_an_article_disappears_everywhere_at_its_expiry(client, editor, world, reporter):
    with time_machine.travel(NOW, tick=False):
        article = live_article(world, editor, title="Harbour reopens", authors=[reporter])
        article.tags.add("Harbours")
        article.expire_at = GO_LIVE
        article.save_revision(user=editor).publish()
        assert all(visible_everywhere(client, article).values())

    with time_machine.travel(GO_LIVE + timedelta(seconds=10), tick=False):
        worker_tick(GO_LIVE + timedelta(seconds=10))
        article.refresh_from_db()
        assert not article.live and article.expired
        assert not any(visible_everywhere(client, article).values())


def test_the_worker_publishes_a_scheduled_article_within_60_seconds(site_env):
    """No controlled time here: a real `newsdesk worker` against a real database."""
    testing.newsdesk(site_env, "migrate", "--noinput")
    script = (
        "from datetime import timedelta; from django.utils import timezone; "
        "from newsdesk.news.factories import ArticlePageFactory, SectionPageFactory; "
        "s = SectionPageFactory(title='World', slug='world'); "
        "a = ArticlePageFactory(parent=s, slug='soon', live=False, first_published_at=None, "
        "last_published_at=None); "
        "a.go_live_at = timezone.now() + timedelta(seconds=3); "
        "a.save_revision().publish(); print(a.go_live_at.timestamp())"
    )
    go_live = float(testing.newsdesk(site_env, "shell", "-c", script).stdout.split()[-1])
    worker = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "worker"], env=site_env, stdout=subprocess.DEVNULL
    )
    check = (
        "from newsdesk.news.models import ArticlePage; "
        "print(ArticlePage.objects.get(slug='soon').live)"
    )
    try:
        while time.time() < go_live + 60:
            if testing.newsdesk(site_env, "shell", "-c", check).stdout.split()[-1] == "True":
                break
            time.sleep(1)
        else:
            pytest.fail("The worker did not publish the article within 60 seconds.")
    finally:
        testing.stop(worker)
    assert time.time() - go_live < 60


def test_a_scheduled_story_reaches_cached_pages_within_60_seconds(site_env):
    """As deployed: with PostgreSQL and Redis the app server and the worker are separate
    processes sharing the cache; in the embedded default `newsdesk serve --with-worker` runs the
    worker inside the server, whose in-process cache its publication purges."""
    shared_cache = bool(site_env.get("NEWSDESK_REDIS_URL"))
    testing.newsdesk(site_env, "migrate", "--noinput")
    script = (
        "from datetime import timedelta; from django.utils import timezone; "
        "from newsdesk.news.factories import ArticlePageFactory, SectionPageFactory; "
        "s = SectionPageFactory(title='World', slug='world'); s.save_revision().publish(); "
        "a = ArticlePageFactory(parent=s, title='Scheduled story', slug='soon', live=False, "
        "first_published_at=None, last_published_at=None); "
        "a.go_live_at = timezone.now() + timedelta(seconds=8); "
        "a.save_revision().publish(); print(a.go_live_at.timestamp())"
    )
    go_live = float(testing.newsdesk(site_env, "shell", "-c", script).stdout.split()[-1])
    if shared_cache:
        url, server = testing.start_server(site_env)
        worker = subprocess.Popen(
            [sys.executable, "-m", "newsdesk", "worker"], env=site_env, stdout=subprocess.DEVNULL
        )
    else:
        url, server = testing.start_server(site_env, None, "--with-worker")
        worker = None
    site = testing.LiveSite(url=url, env=site_env, data_dir=None, process=server)
    try:
        for path in ["/", "/world/"]:
            site.get(path)
            _, headers, html = site.get(path)
            assert headers.get("X-Cache") == "HIT"
            assert "Scheduled story" not in html
        assert site.get("/world/soon/")[0] == 404
        while time.time() < go_live + 60:
            if "Scheduled story" in [text(a) for a in soup(site.get("/")[2]).select("main a")]:
                break
            time.sleep(0.5)
        else:
            pytest.fail("The scheduled story did not reach the cached home page within 60 s.")
        assert time.time() >= go_live - 1  # not before its time
        section_front = soup(site.get("/world/")[2])
        assert "Scheduled story" in [text(a) for a in section_front.select(".story-list h2 a")]
        assert site.get("/world/soon/")[0] == 200
    finally:
        if worker:
            testing.stop(worker)
        testing.stop(server)
