"""The documented front (deploy/varnish) in front of a real app server: publishing purges every
page showing the story (benchmarks/freshness.py measures how fast; the target is one second),
stale pages while the app is down, personal requests passed through."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from newsdesk.core import testing


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    """App server + Varnish; the app's purges go to Varnish, readers come through Varnish.
    Shared by the tests below, in order; the last one stops the app."""
    with testing.app_behind_varnish(
        tmp_path_factory,
        "front-cache",
        "import json; from newsdesk.news.factories import *; "
        "from django.contrib.auth.models import User; "
        "User.objects.create_superuser('ed', 'ed@example.com', 'pw'); "
        "world = SectionPageFactory(title='World', slug='world'); "
        "old = ArticlePageFactory(parent=world, title='First story', slug='first'); "
        "draft = ArticlePageFactory(parent=world, title='Breaking story', slug='breaking'); "
        "draft.unpublish(); draft.save_revision(); "
        "print(json.dumps({'old': old.pk, 'draft': draft.pk}))",
    ) as site:
        yield site


def warm(site, *paths):
    for path in paths:
        site.get(path)
        status, headers, _ = site.get(path)
        assert headers.get("X-Front-Cache") == "HIT", (path, status, headers)


def test_publishing_is_visible_through_the_front(front):
    site = front["front"]
    warm(site, "/", "/world/", "/world/breaking/")
    assert site.get("/world/breaking/")[0] == 404

    editor = testing.admin_session(site.url, "ed", "pw")
    started = time.monotonic()
    testing.publish_through_admin(editor, site.url, front["ids"]["draft"])
    paths = ["/", "/world/", "/world/breaking/"]

    def reader(path):  # one reader per address, polling at once, as readers do
        # A generous bound, yet far inside the 60 s the front would keep an unpurged page.
        while time.monotonic() - started < 10.0:
            status, _, body = site.get(path)
            if status == 200 and "Breaking story" in body:
                return time.monotonic() - started
        return None

    with ThreadPoolExecutor(len(paths)) as pool:
        seen = {p: t for p, t in zip(paths, pool.map(reader, paths), strict=True) if t}
    assert set(seen) == set(paths), seen


def test_an_edit_is_purged_from_every_page_showing_it(front):
    site = front["front"]
    warm(site, "/world/first/", "/world/", "/world/?page=1")
    testing.shell(
        front["env"],
        "from newsdesk.news.models import ArticlePage; p = ArticlePage.objects.get(slug='first'); "
        "p.title = 'First story, corrected'; p.save_revision(); print(1)",
    )
    editor = testing.admin_session(site.url, "ed", "pw")
    testing.publish_through_admin(editor, site.url, front["ids"]["old"])
    for path in ["/world/first/", "/world/", "/world/?page=1"]:
        _status, headers, body = site.get(path)
        assert "First story, corrected" in body, path
        assert headers["X-Front-Cache"] == "MISS", path


def test_personal_requests_and_purges_from_outside_are_not_cached_or_allowed(front):
    site = front["front"]
    warm(site, "/world/first/")
    status, headers, _ = site.get("/world/first/", headers={"Cookie": "newsdesk_wrote=1"})
    assert status == 200 and headers["X-Front-Cache"] == "MISS"
    status, headers, _ = site.get("/admin/login/")
    assert headers["X-Front-Cache"] == "MISS"
    status, _, _ = site.get("/world/first/", headers={"Cookie": "tracking=abc"})
    assert status == 200  # foreign cookies are dropped; the cached page is still served


def test_stale_pages_are_served_while_the_app_is_stopped(front):
    site = front["front"]
    warm(site, "/world/first/", "/world/")
    testing.stop(front["app"].process)
    time.sleep(3)  # the health probe notices
    for path in ["/world/first/", "/world/"]:
        status, _, body = site.get(path)
        assert status == 200, path
        assert "First story" in body
