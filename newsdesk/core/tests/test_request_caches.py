"""The site and view-restriction caches: fewer queries per page view, never a stale answer."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from newsdesk.core.testing import soup, text
from newsdesk.news.factories import ArticlePageFactory, SectionPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return SectionPageFactory(title="World", slug="world")


def warm_queries(client, url) -> list[str]:
    client.get(url)  # warm the caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, HTTP_COOKIE="newsdesk_wrote=1").status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_article_view_skips_site_and_restriction_queries(client, world):
    story = ArticlePageFactory(parent=world, title="Cheap to serve")
    queries = warm_queries(client, story.url)
    tables = " ".join(queries)
    assert len(queries) <= 6
    assert "wagtailcore_site" not in tables
    assert "wagtailcore_pageviewrestriction" not in tables


def test_home_page_edit_is_served_at_once(client, world):
    home = Site.objects.get(is_default_site=True).root_page.specific
    client.get("/")
    home.seo_title = "A renamed front page"
    home.save_revision().publish()
    page = soup(client.get("/", HTTP_COOKIE="newsdesk_wrote=1").content)
    assert "A renamed front page" in text(page.title)


def test_new_site_hostname_is_seen_at_once(client, world, settings):
    settings.ALLOWED_HOSTS = ["*"]
    story = ArticlePageFactory(parent=world, title="On the other host")
    assert client.get(story.url, HTTP_HOST="other.example").status_code == 200
    site = Site.objects.get(is_default_site=True)
    site.is_default_site = False
    site.hostname = "news.example"
    site.save()
    assert (
        client.get(story.url, HTTP_HOST="other.example", HTTP_COOKIE="newsdesk_wrote=1").status_code
        == 404
    )
    assert (
        client.get(story.url, HTTP_HOST="news.example", HTTP_COOKIE="newsdesk_wrote=1").status_code
        == 200
    )


def test_restricting_a_section_takes_effect_at_once(client, world):
    story = ArticlePageFactory(parent=world, title="Members only soon")
    assert client.get(story.url).status_code == 200
    assert "Members only soon" in client.get(world.url).text
    restriction = PageViewRestriction.objects.create(
        page=world, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Subscribers"))
    response = client.get(story.url, HTTP_COOKIE="newsdesk_wrote=1")
    assert response.status_code == 302 and "login" in response["Location"]
    home = soup(client.get("/", HTTP_COOKIE="newsdesk_wrote=1").content)
    assert "Members only soon" not in text(home)
    restriction.delete()
    assert client.get(story.url, HTTP_COOKIE="newsdesk_wrote=1").status_code == 200
