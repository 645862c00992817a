"""Freshness through the page cache: publishing, editing, correcting or unpublishing a story
updates every feed, sitemap and metadata block that shows it, at once (the target is one
second, measured by benchmarks/freshness.py; in one process it is the next request)."""

import json

import feedparser
import pytest
from django.utils import timezone

from newsdesk.core.signals import page_changed
from newsdesk.news.factories import ArticlePageFactory
from newsdesk.news.models import ArticlePage, Correction

pytestmark = pytest.mark.django_db

CACHED = [
    "/feed/",
    "/feed/atom/",
    "/feed/json/",
    "/world/feed/",
    "/authors/ada-lane/feed/",
    "/tags/storms/feed/json/",
    "/sitemap.xml",
    "/sitemap-pages-0.xml",
    "/news-sitemap.xml",
    "/robots.txt",
]
ARTICLE = "/world/harbour-reopens/"


def text(response) -> str:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return data.decode()


def warm(client, paths) -> None:
    for path in paths:
        client.get(path)
        assert client.get(path)["X-Cache"] == "HIT", path


def json_ld(client, path: str) -> dict:
    import extruct

    html = client.get(path).content.decode()
    return {item["@type"]: item for item in extruct.extract(html, syntaxes=["json-ld"])["json-ld"]}


def test_feeds_sitemaps_and_robots_are_served_from_the_page_cache(client, newsroom):
    warm(client, CACHED)


def test_a_new_story_appears_in_every_cached_feed_and_sitemap(client, newsroom):
    warm(client, [*CACHED, ARTICLE])
    story = ArticlePageFactory(
        parent=newsroom["world"],
        title="Ferry service resumes",
        slug="ferry",
        authors=[newsroom["ada"]],
        tags=["Storms"],
        first_published_at=None,
        live=False,
    )
    story.save_revision().publish()
    for path in ["/feed/", "/feed/atom/", "/feed/json/", "/world/feed/"]:
        assert "Ferry service resumes" in text(client.get(path)), path
    assert "Ferry service resumes" in text(client.get("/authors/ada-lane/feed/"))
    assert "Ferry service resumes" in text(client.get("/tags/storms/feed/json/"))
    assert "/world/ferry/" in text(client.get("/news-sitemap.xml"))
    assert "/world/ferry/" in text(client.get("/sitemap-articles-0.xml"))


def test_an_edit_updates_feeds_news_sitemap_lastmod_and_json_ld(client, newsroom):
    warm(client, [*CACHED, ARTICLE])
    before = text(client.get("/sitemap.xml"))
    lead = ArticlePage.objects.get(pk=newsroom["lead"].pk)
    lead.title = "Harbour reopens to all shipping"
    lead.save_revision().publish()
    feed = feedparser.parse(client.get("/feed/").content)
    assert feed.entries[0].title == "Harbour reopens to all shipping"
    assert "Harbour reopens to all shipping" in text(client.get("/news-sitemap.xml"))
    assert text(client.get("/sitemap.xml")) != before  # the articles file's lastmod moved
    article = json_ld(client, ARTICLE)["NewsArticle"]
    assert article["headline"] == "Harbour reopens to all shipping"
    assert article["dateModified"] > article["datePublished"]


def test_a_correction_reaches_the_feeds_and_the_json_ld(client, newsroom):
    warm(client, ["/feed/", "/feed/json/", ARTICLE])
    lead = newsroom["lead"]
    Correction.objects.create(article=lead, kind="update", text="The port reopened at noon.")
    page_changed.send(sender=Correction, page=lead)  # what the newsroom's tools send
    assert "The port reopened at noon." in text(client.get("/feed/"))
    items = json.loads(client.get("/feed/json/").content)["items"]
    assert "The port reopened at noon." in items[0]["content_html"]
    corrections = json_ld(client, ARTICLE)["NewsArticle"]["correction"]
    assert [c["name"] for c in corrections] == ["Correction", "Update"]


def test_unpublishing_removes_the_story_from_every_output(client, newsroom):
    warm(client, CACHED)
    newsroom["lead"].unpublish()
    for path in CACHED[:-1]:
        assert "harbour-reopens" not in text(client.get(path)), path
    for path in ["/sitemap-articles-0.xml", "/sitemap-tags-0.xml"]:
        assert "harbour-reopens" not in text(client.get(path))
    assert "/tags/storms/" not in text(client.get("/sitemap-tags-0.xml"))  # its only story
    assert client.get("/authors/ada-lane/feed/").status_code == 200  # empty, still valid


def test_the_two_day_window_moves_on_with_time(client, newsroom):
    from datetime import timedelta

    from newsdesk.syndication import sitemaps

    assert "/world/harbour-reopens/" in text(client.get("/news-sitemap.xml"))
    later = timezone.now() + timedelta(days=2)
    stories = sitemaps.news_stories(now=later)
    assert [location for location, _title, _when in stories] == []
