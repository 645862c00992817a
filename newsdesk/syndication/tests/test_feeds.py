"""Feeds: RSS 2.0, Atom and JSON Feed for the site, a section, an author and a tag, parsed by
feedparser (the parser feed readers are built on) with no complaint."""

import gzip
import json
import time
from datetime import timedelta

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from newsdesk.news.factories import ArticlePageFactory
from newsdesk.news.models import Correction
from newsdesk.syndication.models import SyndicationSettings

pytestmark = pytest.mark.django_db

FEEDS = {
    "/feed/": "rss",
    "/feed/atom/": "atom",
    "/feed/json/": "json",
    "/world/feed/": "rss",
    "/world/feed/atom/": "atom",
    "/world/feed/json/": "json",
    "/authors/ada-lane/feed/": "rss",
    "/authors/ada-lane/feed/atom/": "atom",
    "/authors/ada-lane/feed/json/": "json",
    "/tags/storms/feed/": "rss",
    "/tags/storms/feed/atom/": "atom",
    "/tags/storms/feed/json/": "json",
}
CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
VERSIONS = {"rss": "rss20", "atom": "atom10", "json": "json11"}


def parse(client, path: str, **headers):
    """feedparser's view of an RSS or Atom feed; a JSON Feed is checked against its spec and
    turned into the same shape (feedparser 6 does not read JSON Feed)."""
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    if response["Content-Type"].startswith("application/feed+json"):
        data = json.loads(response.content)
        check_json_feed(data)
        return response, as_parsed(data)
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
    return response, parsed


def as_parsed(data: dict) -> feedparser.FeedParserDict:
    entries = []
    for item in data["items"]:
        content = item.get("content_html")
        entry = {
            "title": item["title"],
            "link": item["url"],
            "id": item["id"],
            "summary": item["summary"],
            "published_parsed": time.strptime(item["date_published"][:19], "%Y-%m-%dT%H:%M:%S"),
            "authors": [feedparser.FeedParserDict(a) for a in item["authors"]],
            "tags": [feedparser.FeedParserDict(term=tag) for tag in item["tags"]],
            "image": item.get("image"),
        }
        if content:
            entry["content"] = [feedparser.FeedParserDict(value=content, type="text/html")]
        entries.append(feedparser.FeedParserDict(entry))
    return feedparser.FeedParserDict(version="json11", entries=entries, feed=data)


def check_json_feed(data: dict) -> None:
    """The JSON Feed 1.1 spec's required fields and types (jsonfeed.org/version/1.1)."""
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(data["title"], str) and data["title"]
    assert isinstance(data["items"], list)
    for url_field in ("home_page_url", "feed_url", "icon", "favicon"):
        assert data[url_field].startswith("http"), url_field
    for author in data["authors"]:
        assert {"name", "url"} & set(author)
    for item in data["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert isinstance(item.get("content_html") or item.get("content_text"), str)
        assert item["url"].startswith("http")
        for author in item["authors"]:
            assert author["name"] and author["url"].startswith("http")
        assert all(isinstance(tag, str) for tag in item["tags"])
        assert "email" not in json.dumps(item)


@pytest.mark.parametrize("path,fmt", FEEDS.items())
def test_every_feed_parses_cleanly_with_the_right_content_type(client, newsroom, path, fmt):
    response, parsed = parse(client, path)
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    assert parsed.version == VERSIONS[fmt]
    assert parsed.entries, path


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_items_carry_what_a_news_reader_needs(client, newsroom, fmt):
    path = {"rss": "/feed/", "atom": "/feed/atom/", "json": "/feed/json/"}[fmt]
    _response, parsed = parse(client, path)
    lead = newsroom["lead"]
    assert [entry.title for entry in parsed.entries] == [
        "Harbour reopens after storm",
        "Archive story from last week",
    ]
    entry = parsed.entries[0]
    assert entry.link == "http://127.0.0.1:8000/world/harbour-reopens/"
    assert entry.id.startswith("tag:127.0.0.1,") and entry.id.endswith(f":article:{lead.pk}")
    assert entry.published_parsed[:5] == lead.published_at.utctimetuple()[:5]
    assert [author.name for author in entry.authors] == ["Ada Lane", "Bo Chen"]
    assert [tag.term for tag in entry.tags] == ["World", "Storms", "Trade"]
    # The standfirst is the summary, its "&" and "<" kept as text.
    assert entry.summary == "Boats sail again &amp; trade resumes &lt;slowly&gt;." or (
        entry.summary == "Boats sail again & trade resumes <slowly>."
    )
    content = entry.content[0].value
    assert "The first paragraph of the story." in content
    assert "An earlier version misnamed the harbour." in content  # the correction
    pictures = [link for link in entry.get("links", []) if link.rel == "enclosure"]
    if fmt == "json":
        assert "fill-1200x675" in entry.image and entry.image.endswith(".jpg")
    else:
        assert len(pictures) == 1
        assert pictures[0].type == "image/jpeg"
        assert int(pictures[0].length) > 0
        assert "fill-1200x675" in pictures[0].href


def test_rss_carries_media_rss_with_size_and_alt_text(client, newsroom):
    _response, parsed = parse(client, "/feed/")
    media = parsed.entries[0].media_content[0]
    assert (media["medium"], media["width"], media["height"]) == ("image", "1200", "675")
    assert parsed.entries[0].content[0].type == "text/html"
    assert "dc_creator" not in parsed.entries[1] or parsed.entries[1].author == "Bo Chen"


def test_guid_is_stable_when_headline_and_slug_change(client, newsroom):
    _response, before = parse(client, "/feed/")
    lead = newsroom["lead"]
    lead.title = "Harbour reopens fully"
    lead.slug = "harbour-reopens-fully"
    lead.save_revision().publish()
    _response, after = parse(client, "/feed/")
    assert after.entries[0].title == "Harbour reopens fully"
    assert after.entries[0].link.endswith("/world/harbour-reopens-fully/")
    assert after.entries[0].id == before.entries[0].id


def test_the_number_of_items_and_full_text_are_set_in_the_admin(client, newsroom):
    for number in range(3):
        ArticlePageFactory(parent=newsroom["world"], title=f"Extra story {number}")
    assert len(parse(client, "/feed/")[1].entries) == 5
    config = SyndicationSettings.load()
    config.feed_items = 2
    config.feed_full_content = False
    config.save()  # purges the cached feeds (site_changed)
    _response, parsed = parse(client, "/feed/")
    assert [entry.title for entry in parsed.entries] == ["Extra story 2", "Extra story 1"]
    assert all("content" not in entry for entry in parsed.entries)
    data = json.loads(client.get("/feed/json/").content)
    assert [item.get("content_text") for item in data["items"]] == [
        "What happened in extra story 2.",
        "What happened in extra story 1.",
    ]


def test_summary_only_feeds_still_carry_corrections(client, newsroom):
    config = SyndicationSettings.load()
    config.feed_full_content = False
    config.save()
    content = parse(client, "/feed/atom/")[1].entries[0].content[0].value
    assert "The first paragraph" not in content
    assert "An earlier version misnamed the harbour." in content


def test_the_newest_twenty_by_default(client, newsroom):
    assert SyndicationSettings.load().feed_items == 20
    for number in range(20):
        ArticlePageFactory(parent=newsroom["world"], title=f"Story {number:02d}")
    entries = parse(client, "/world/feed/")[1].entries
    assert len(entries) == 20
    assert entries[0].title == "Story 19"


def test_removed_corrections_and_unpublished_stories_leave_the_feeds(client, newsroom):
    correction = Correction.objects.get()
    correction.removed_at = newsroom["now"]
    correction.save()
    newsroom["old"].unpublish()
    entries = parse(client, "/feed/")[1].entries
    assert [entry.title for entry in entries] == ["Harbour reopens after storm"]
    assert "misnamed" not in entries[0].content[0].value


def test_links_in_the_content_are_absolute(client, newsroom):
    lead = newsroom["lead"]
    lead.body = [
        {
            "type": "paragraph",
            "value": f'<p>See <a linktype="page" id="{newsroom["old"].pk}">the archive</a>.</p>',
        }
    ]
    lead.save_revision().publish()
    content = parse(client, "/feed/")[1].entries[0].content[0].value
    assert 'href="http://127.0.0.1:8000/world/archive-story/"' in content


def test_relative_pictures_and_srcsets_become_absolute():
    from newsdesk.syndication.feeds import absolute_links

    html = (
        '<a href="/world/x/">x</a><a href="https://elsewhere.example/">e</a>'
        '<img src="/media/a.webp" srcset="/media/a-480.webp 480w, /media/a-800.webp 800w" alt="">'
        '<img src="//cdn.example/b.jpg" alt="">'
    )
    assert absolute_links(html) == (
        '<a href="http://127.0.0.1:8000/world/x/">x</a><a href="https://elsewhere.example/">e</a>'
        '<img src="http://127.0.0.1:8000/media/a.webp" srcset="http://127.0.0.1:8000/media/'
        'a-480.webp 480w, http://127.0.0.1:8000/media/a-800.webp 800w" alt="">'
        '<img src="//cdn.example/b.jpg" alt="">'
    )


def test_headlines_with_markup_and_control_characters_stay_valid(client, newsroom):
    lead = newsroom["lead"]
    lead.title = 'Rates <b>rise</b> & "fall"\x0b again </script>'
    lead.save_revision().publish()
    for path in ["/feed/", "/feed/atom/", "/feed/json/"]:
        entry = parse(client, path)[1].entries[0]
        assert "rise" in entry.title and "fall" in entry.title, path
        assert "\x0b" not in entry.title


def test_unknown_subjects_are_404_and_only_get_and_head_are_allowed(client, newsroom):
    for path in ["/nowhere/feed/", "/authors/nobody/feed/json/", "/tags/nothing/feed/atom/"]:
        assert client.get(path).status_code == 404, path
    assert client.post("/feed/").status_code == 405
    assert client.head("/feed/").status_code == 200


def test_conditional_get_answers_304_by_etag_and_by_date(client, newsroom):
    first = client.get("/feed/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/feed/", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/feed/", headers={"If-Modified-Since": modified}).status_code == 304
    ArticlePageFactory(parent=newsroom["world"], title="Breaking story")
    later = http_date((newsroom["now"] + timedelta(seconds=5)).timestamp())
    changed = client.get("/feed/", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Breaking story" in changed.content.decode()
    assert client.get("/feed/", headers={"If-Modified-Since": later}).status_code in {200, 304}


def test_gzip_for_clients_that_accept_it_and_plain_for_others(client, newsroom):
    compressed = client.get("/feed/", headers={"Accept-Encoding": "gzip"})
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert feedparser.parse(gzip.decompress(compressed.content)).bozo == 0
    plain = client.get("/feed/")
    assert plain["X-Cache"] == "MISS"  # kept in the page cache apart from the compressed one
    assert "Content-Encoding" not in plain
    assert plain.content.startswith(b"<?xml")
    assert client.get("/feed/", headers={"Accept-Encoding": "gzip"})["X-Cache"] == "HIT"
    assert client.get("/feed/")["X-Cache"] == "HIT"


def test_feed_queries_do_not_grow_with_the_stories(client, newsroom):
    def queries() -> int:
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/feed/").status_code == 200
        return len(captured)

    few = queries()
    for number in range(6):
        story = ArticlePageFactory(parent=newsroom["world"], title=f"More {number}", tags=["X"])
        Correction.objects.create(article=story, text="Fixed.")
    assert queries() <= few + 6  # body rendering may look up each story's page links
