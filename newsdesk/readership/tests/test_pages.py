"""Readers' pages: the beacon where it belongs, the Trending list fresh inside cached pages."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsdesk.core.testing import soup, text, validate_html
from newsdesk.news.factories import ArticlePageFactory, SectionPageFactory
from newsdesk.readership import clock
from newsdesk.readership.models import HourlyViews
from newsdesk.readership.trending import TRENDING_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(section):
    now = timezone.now().replace(microsecond=0)
    return [
        ArticlePageFactory(
            parent=section,
            title=f"Story {n}",
            slug=f"story-{n}",
            first_published_at=now - timedelta(hours=n + 1),
        )
        for n in range(7)
    ]


def read(page, count):
    HourlyViews.objects.update_or_create(
        article=page, hour=clock.hour_of(clock.now()), defaults={"views": count}
    )


def trending_titles(html) -> tuple[str, list[str]]:
    section = soup(html).select_one("section.trending")
    return text(section.h2), [text(a) for a in section.select("ol a")]


def test_article_home_and_section_show_trending_from_real_reads(client, stories, section):
    for n, count in enumerate([5, 40, 30, 20, 10]):
        read(stories[n], count)
    for path in ["/", "/world/", "/world/story-0/"]:
        heading, titles = trending_titles(client.get(path).content)
        assert titles == ["Story 1", "Story 2", "Story 3", "Story 4", "Story 0"], path
        assert heading in {"Trending", "Trending in World"}, path
    assert trending_titles(client.get("/world/").content)[0] == "Trending in World"


def test_a_new_site_shows_the_latest_stories_without_calling_them_trending(client, stories):
    heading, titles = trending_titles(client.get("/").content)
    assert heading == "Latest"
    assert titles == ["Story 0", "Story 1", "Story 2", "Story 3", "Story 4"]


def test_the_list_refreshes_inside_a_cached_page(client, stories):
    for n in range(3):
        read(stories[n], 10 - n)
    first = client.get("/world/story-0/")
    assert trending_titles(first.content)[1] == ["Story 0", "Story 1", "Story 2"]
    read(stories[6], 99)
    # The page stays cached; once the list's own minute is over it shows the new reading.
    cache.delete(TRENDING_KEY + "site")
    second = client.get("/world/story-0/")
    assert second["X-Cache"] == "HIT"
    assert trending_titles(second.content)[1][0] == "Story 6"


def test_beacon_script_only_on_live_articles_for_anonymous_readers(client, stories, admin_user):
    page = soup(client.get("/world/story-0/").content)
    scripts = page.select("script[data-article]")
    assert len(scripts) == 1
    assert scripts[0]["data-article"] == str(stories[0].pk)
    assert scripts[0]["data-endpoint"] == "/readership/view"
    assert scripts[0]["src"].startswith("/static/readership/beacon")
    assert not soup(client.get("/").content).select("script[data-article]")
    assert not soup(client.get("/world/").content).select("script[data-article]")
    client.force_login(admin_user)
    assert not soup(client.get("/world/story-0/").content).select("script[data-article]")
    preview = client.get(f"/admin/pages/{stories[0].pk}/edit/preview/?mode=")
    if preview.status_code == 200:
        assert not soup(preview.content).select("script[data-article]")


def test_article_page_queries_do_not_grow_with_readership(client, section):
    def queries_for_article_page(read_articles: int) -> int:
        HourlyViews.objects.all().delete()
        now = timezone.now()
        pages = [
            ArticlePageFactory(parent=section, first_published_at=now - timedelta(minutes=n))
            for n in range(read_articles)
        ]
        for n, page in enumerate(pages):
            read(page, n + 1)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(pages[0].url).status_code == 200
        return len(queries)

    queries_for_article_page(3)  # first use creates the trending settings row
    assert queries_for_article_page(4) == queries_for_article_page(12)


def test_pages_with_trending_and_beacon_are_valid_html(client, stories):
    for n in range(4):
        read(stories[n], 10 + n)
    SectionPageFactory(title="Science", slug="science")
    documents = {path: client.get(path).content.decode() for path in ["/", "/world/", "/science/"]}
    documents["article"] = client.get("/world/story-0/").content.decode()
    assert validate_html(documents) == []
