"""Sitemaps: the index, its files and the Google News sitemap validate against the
sitemaps.org and Google News XML Schemas; files split at the limit and stream in keyset
batches; robots.txt points at both and carries the admin's disallows."""

import urllib.robotparser
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from newsdesk.news.factories import ArticlePageFactory, AuthorFactory, SectionPageFactory
from newsdesk.syndication import sitemaps
from newsdesk.syndication.models import SyndicationSettings

from .conftest import assert_valid, schema

pytestmark = pytest.mark.django_db

NS = {"sm": sitemaps.SITEMAP_NS, "news": sitemaps.NEWS_NS}
BASE = "http://127.0.0.1:8000"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def index(client) -> list[tuple[str, str]]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    document = assert_valid(response.content, schema("siteindex.xsd"))
    return [
        (entry.findtext("sm:loc", namespaces=NS), entry.findtext("sm:lastmod", namespaces=NS))
        for entry in document.findall("sm:sitemap", NS)
    ]


def all_urls(client) -> dict[str, str]:
    """Every address of every file in the index (each file validated) → its lastmod."""
    found = {}
    xsd = schema("sitemap.xsd")
    for location, lastmod in index(client):
        assert location.startswith(BASE) and lastmod
        response = client.get(location.removeprefix(BASE))
        assert response.status_code == 200, location
        document = assert_valid(body(response), xsd)
        entries = document.findall("sm:url", NS)
        assert entries, location
        if "-pages-" not in location:  # home and sections: a handful, one file
            assert len(entries) <= sitemaps.urls_per_file(), location
        for entry in entries:
            url = entry.findtext("sm:loc", namespaces=NS)
            assert url not in found, f"{url} is listed twice"
            found[url] = entry.findtext("sm:lastmod", namespaces=NS)
    return found


def test_the_index_covers_home_sections_articles_authors_and_tags_with_lastmod(client, newsroom):
    urls = all_urls(client)
    assert set(urls) == {
        f"{BASE}/",
        f"{BASE}/world/",
        f"{BASE}/world/harbour-reopens/",
        f"{BASE}/world/archive-story/",
        f"{BASE}/authors/ada-lane/",
        f"{BASE}/authors/bo-chen/",
        f"{BASE}/tags/storms/",
        f"{BASE}/tags/trade/",
    }
    assert all(urls.values())
    old = newsroom["old"]
    assert urls[f"{BASE}/world/archive-story/"].startswith(f"{old.published_at:%Y-%m-%d}")
    # An author's and a tag's page change with their newest story.
    assert urls[f"{BASE}/tags/trade/"] == urls[f"{BASE}/world/harbour-reopens/"]


def test_drafts_private_sections_and_authors_without_stories_are_left_out(client, newsroom):
    AuthorFactory(name="Idle Writer", slug="idle-writer")
    draft = ArticlePageFactory(parent=newsroom["world"], title="Draft", slug="draft")
    draft.unpublish()
    private = SectionPageFactory(title="Members", slug="members")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    ArticlePageFactory(parent=private, title="Secret", slug="secret", tags=["Hidden"])
    urls = all_urls(client)
    for path in ["/world/draft/", "/members/secret/", "/members/", "/authors/idle-writer/"]:
        assert f"{BASE}{path}" not in urls, path
    assert f"{BASE}/tags/hidden/" not in urls


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_files_split_at_the_limit_and_each_story_is_in_exactly_one(
    client, newsroom, settings, limit
):
    settings.NEWSDESK_SITEMAP_URLS_PER_FILE = limit
    for number in range(5):
        ArticlePageFactory(parent=newsroom["world"], title=f"More news {number}")
    urls = all_urls(client)  # checks ≤ limit per file and no address twice
    articles = [url for url in urls if url.count("/") == 5 and "/world/" in url]
    assert len(articles) == 7
    files = [location for location, _ in index(client) if "articles" in location]
    assert len(files) >= 7 // limit


def test_a_file_is_streamed_in_keyset_batches_without_offset(client, newsroom, monkeypatch):
    monkeypatch.setattr(sitemaps.ArticleSitemap, "batch_size", 2)
    for number in range(5):
        ArticlePageFactory(parent=newsroom["world"], title=f"Batch story {number}")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/sitemap-articles-0.xml")
        assert response.streaming
        document = assert_valid(body(response), schema("sitemap.xsd"))
    assert len(document.findall("sm:url", NS)) == 7
    statements = [query["sql"] for query in captured]
    assert not any("OFFSET" in sql.upper() for sql in statements)
    batches = [sql for sql in statements if sql.startswith("SELECT") and sql.endswith("LIMIT 2")]
    assert len(batches) == 4  # 2 + 2 + 2 + 1 rows: each batch one bounded query


def test_queries_per_file_do_not_grow_with_the_number_of_stories(client, newsroom):
    def queries(path) -> int:
        with CaptureQueriesContext(connection) as captured:
            body(client.get(path))
        return len(captured)

    paths = ["/sitemap-articles-0.xml", "/sitemap-authors-0.xml", "/sitemap-tags-0.xml"]
    before = [queries(path) for path in paths]
    for number in range(8):
        ArticlePageFactory(
            parent=newsroom["world"], title=f"Story {number}", tags=[f"Topic {number}"]
        )
    from django.core.cache import cache

    cache.clear()
    assert [queries(path) for path in paths] == before


def test_large_files_answer_conditional_requests_and_change_with_the_stories(client, newsroom):
    first = client.get("/sitemap-articles-0.xml")
    body(first)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/sitemap-articles-0.xml", headers={"If-None-Match": etag}).status_code == 304
    assert (
        client.get("/sitemap-articles-0.xml", headers={"If-Modified-Since": modified}).status_code
        == 304
    )
    newsroom["old"].unpublish()
    changed = client.get("/sitemap-articles-0.xml", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert b"archive-story" not in body(changed)
    story = newsroom["lead"]
    story.move(SectionPageFactory(title="Business", slug="business"), pos="last-child")
    moved = client.get("/sitemap-articles-0.xml", headers={"If-None-Match": changed["ETag"]})
    assert moved.status_code == 200
    assert b"/business/harbour-reopens/" in body(moved)


def test_unknown_and_empty_files_are_404(client, newsroom):
    for path in ["/sitemap-articles-9.xml", "/sitemap-nothing-0.xml", "/sitemap-pages-1.xml"]:
        assert client.get(path).status_code == 404, path


def test_news_sitemap_validates_and_holds_only_the_last_two_days(client, newsroom):
    now = timezone.now()
    ArticlePageFactory(
        parent=newsroom["world"],
        title="Just inside the window",
        slug="inside",
        first_published_at=now - timedelta(days=2) + timedelta(minutes=5),
    )
    ArticlePageFactory(
        parent=newsroom["world"],
        title="Just outside the window",
        slug="outside",
        first_published_at=now - timedelta(days=2) - timedelta(minutes=5),
    )
    response = client.get("/news-sitemap.xml")
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    document = assert_valid(response.content, schema("sitemap.xsd", "sitemap-news.xsd"))
    stories = {
        entry.findtext("sm:loc", namespaces=NS): entry.find("news:news", NS)
        for entry in document.findall("sm:url", NS)
    }
    assert list(stories) == [f"{BASE}/world/harbour-reopens/", f"{BASE}/world/inside/"]
    news = stories[f"{BASE}/world/harbour-reopens/"]
    assert news.findtext("news:publication/news:name", namespaces=NS) == "Newsdesk"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert news.findtext("news:title", namespaces=NS) == "Harbour reopens after storm"
    published = news.findtext("news:publication_date", namespaces=NS)
    assert published == sitemaps.w3c(newsroom["lead"].published_at)


def test_news_sitemap_carries_any_headline_and_site_name_as_text(client, newsroom, settings):
    """Written with string formatting: markup, entities, quotes and non-ASCII text in a
    headline or the site's name come back verbatim from an XML parser (control characters,
    which XML 1.0 cannot carry, are dropped), in a document that still validates."""
    settings.SITE_NAME = 'Tom & Jerry\'s "Daily" <News>'
    headline = 'Q&A: rates <rise> again, "for now" ]]> at Café 日本\x07 &amp; more'
    ArticlePageFactory(parent=newsroom["world"], title=headline, slug="q-and-a")
    document = assert_valid(
        client.get("/news-sitemap.xml").content, schema("sitemap.xsd", "sitemap-news.xsd")
    )
    news = {
        entry.findtext("sm:loc", namespaces=NS): entry.find("news:news", NS)
        for entry in document.findall("sm:url", NS)
    }[f"{BASE}/world/q-and-a/"]
    assert news.findtext("news:title", namespaces=NS) == headline.replace("\x07", "")
    assert news.findtext("news:publication/news:name", namespaces=NS) == settings.SITE_NAME


def test_news_sitemap_is_capped_newest_first(client, newsroom, monkeypatch):
    assert sitemaps.NEWS_LIMIT == 1_000  # Google's cap; lowered below to test it cheaply
    monkeypatch.setattr(sitemaps, "NEWS_LIMIT", 3)
    for number in range(4):
        ArticlePageFactory(
            parent=newsroom["world"], title=f"Fresh {number}", slug=f"fresh-{number}"
        )
    document = assert_valid(
        client.get("/news-sitemap.xml").content, schema("sitemap.xsd", "sitemap-news.xsd")
    )
    titles = [e.text for e in document.iterfind("sm:url/news:news/news:title", NS)]
    assert titles == ["Fresh 3", "Fresh 2", "Fresh 1"]


def test_news_sitemap_without_recent_stories_is_an_empty_urlset(client, db):
    """Well-formed and empty (the XSD wants at least one <url>; Google reads an empty one)."""
    from lxml import etree

    response = client.get("/news-sitemap.xml")
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    assert root.tag == f"{{{sitemaps.SITEMAP_NS}}}urlset"
    assert len(root) == 0


def test_news_language_follows_google_codes(settings):
    for language, code in [("en", "en"), ("en-GB", "en"), ("zh-TW", "zh-tw"), ("pt_BR", "pt")]:
        settings.SITE_LANGUAGE = language
        assert sitemaps.news_language() == code


def test_robots_lists_both_sitemaps_and_the_admins_disallows(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(response.content.decode().splitlines())
    assert robots.site_maps() == [f"{BASE}/sitemap.xml", f"{BASE}/news-sitemap.xml"]
    assert not robots.can_fetch("Googlebot", f"{BASE}/admin/pages/")
    assert not robots.can_fetch("Googlebot", f"{BASE}/search/?q=x")
    assert robots.can_fetch("Googlebot", f"{BASE}/world/story/")

    config = SyndicationSettings.load()
    config.robots_disallow = "/admin/\n/drafts/"
    config.save()
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(client.get("/robots.txt").content.decode().splitlines())  # purged by the save
    assert not robots.can_fetch("Googlebot", f"{BASE}/drafts/x")
    assert robots.can_fetch("Googlebot", f"{BASE}/search/?q=x")


def test_the_story_file_list_is_kept_current_without_recounting(
    client, newsroom, settings, django_capture_on_commit_callbacks
):
    """The index's list of story files is counted once, then moved forward on publish (a new
    file appears, a file's lastmod advances) and recounted after an unpublish."""
    settings.NEWSDESK_SITEMAP_URLS_PER_FILE = 2
    before = dict(sitemaps.ArticleSitemap().files())
    with CaptureQueriesContext(connection) as captured:
        assert dict(sitemaps.ArticleSitemap().files()) == before
    # kept, not counted again
    assert not [q for q in captured.captured_queries if "news_articlepage" in q["sql"]]
    story = ArticlePageFactory(parent=newsroom["world"], title="Fresh file", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()
    story.refresh_from_db()
    files = dict(sitemaps.ArticleSitemap().files())
    assert files[story.pk // 2] == (story.updated_at or story.published_at)
    assert files == {
        int(n): lastmod for n, lastmod in sitemaps.KeysetSitemap.files(sitemaps.ArticleSitemap())
    }
    with django_capture_on_commit_callbacks(execute=True):
        story.unpublish()
    assert dict(sitemaps.ArticleSitemap().files()) == before


def test_author_and_tag_files_are_found_once_and_again_after_publishing_or_deleting(
    client, newsroom, settings, django_capture_on_commit_callbacks
):
    """Which author and tag files exist is kept between index requests (testing every tag for a
    live story is the index's cost at a million stories) and found again when a story is
    published or removed, or a tag is deleted (an author with stories cannot be)."""
    from taggit.models import Tag

    settings.NEWSDESK_SITEMAP_URLS_PER_FILE = 1
    tags = lambda: dict(sitemaps.TagSitemap().files())  # noqa: E731
    before = tags()
    with CaptureQueriesContext(connection) as captured:
        assert tags() == before
    assert not [q for q in captured.captured_queries if "taggit_tag" in q["sql"]]

    story = ArticlePageFactory(
        parent=newsroom["world"], title="Eclipse", tags=["Astronomy"], live=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()
    astronomy = Tag.objects.get(name="Astronomy")
    assert astronomy.pk in tags()
    assert f"/sitemap-tags-{astronomy.pk}.xml" in body(client.get("/sitemap.xml")).decode()
    story.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        story.unpublish()
    assert astronomy.pk not in tags()

    writer = AuthorFactory(name="Cy Dorn")
    assert writer.pk not in dict(sitemaps.AuthorSitemap().files())
    comet = ArticlePageFactory(
        parent=newsroom["world"], title="Comet", authors=[writer], tags=["Comets"], live=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        comet.save_revision().publish()
    assert writer.pk in dict(sitemaps.AuthorSitemap().files())
    comets = Tag.objects.get(name="Comets")
    assert comets.pk in tags()
    with django_capture_on_commit_callbacks(execute=True):
        comets.delete()
    assert comets.pk not in tags()
