"""The page cache: hits for anonymous readers, nothing personal, exact purges on change."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from wagtail import hooks

from newsdesk.core import fragments
from newsdesk.core.signals import page_changed, site_changed
from newsdesk.core.testing import soup, text
from newsdesk.delivery import cache as page_cache
from newsdesk.delivery.middleware import response_is_cacheable
from newsdesk.news.factories import ArticlePageFactory, AuthorFactory, SectionPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    world = SectionPageFactory(title="World", slug="world")
    author = AuthorFactory(name="Ada Lane")
    return ArticlePageFactory(
        parent=world, title="Original headline", slug="story", authors=[author], tags=["Climate"]
    )


READER_PAGES = ["/", "/world/", "/world/story/", "/authors/ada-lane/", "/tags/climate/"]


def test_second_anonymous_view_is_a_hit_with_etag_and_shared_cache_headers(client, story):
    first = client.get("/world/story/")
    assert first["X-Cache"] == "MISS"
    second = client.get("/world/story/")
    assert second["X-Cache"] == "HIT"
    # Equal but for the parts made fresh on every view (the comment form's token).
    assert fragments.stable(second.content) == fragments.stable(first.content)
    assert second["ETag"] == first["ETag"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    control = second["Cache-Control"]
    assert "public" in control and "s-maxage=" in control
    assert "stale-while-revalidate=" in control and "stale-if-error=" in control
    not_modified = client.get("/world/story/", headers={"If-None-Match": first["ETag"]})
    assert not_modified.status_code == 304


def test_every_reader_page_type_is_cached(client, story):
    for path in READER_PAGES:
        client.get(path)
        assert client.get(path)["X-Cache"] == "HIT", path


def test_signed_in_users_and_recent_writers_are_never_served_from_cache(client, story, admin_user):
    client.get("/world/story/")
    client.force_login(admin_user)
    response = client.get("/world/story/")
    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]
    client.logout()
    client.cookies["newsdesk_wrote"] = "1"
    assert "X-Cache" not in client.get("/world/story/")


def test_editing_an_article_purges_every_page_that_shows_it(client, story):
    for path in READER_PAGES:
        client.get(path)
    revision = story.save_revision()
    story.title = "Corrected headline"
    revision = story.save_revision()
    revision.publish()
    for path in READER_PAGES:
        response = client.get(path)
        assert response["X-Cache"] == "MISS", path
        assert "Corrected headline" in response.content.decode(), path


def test_removing_a_tag_purges_the_old_tag_page(client, story):
    client.get("/tags/climate/")
    story.tags.clear()
    story.tags.add("Weather")
    story.save_revision().publish()
    assert "Original headline" not in client.get("/tags/climate/").content.decode()


def test_unpublishing_removes_the_article_everywhere(client, story):
    for path in READER_PAGES:
        client.get(path)
    story.unpublish()
    assert client.get("/world/story/").status_code == 404
    for path in ["/", "/world/", "/authors/ada-lane/", "/tags/climate/"]:
        assert "Original headline" not in client.get(path).content.decode(), path


def test_a_404_is_cached_until_something_is_published(client, story):
    assert client.get("/world/later/").status_code == 404
    assert client.get("/world/later/")["X-Cache"] == "HIT"
    ArticlePageFactory(
        parent=story.get_parent(), title="Later", slug="later"
    ).save_revision().publish()
    assert client.get("/world/later/").status_code == 200


def test_moving_an_article_updates_both_section_fronts(client, story):
    politics = SectionPageFactory(title="Politics", slug="politics")
    client.get("/world/")
    client.get("/politics/")
    story.move(politics, pos="last-child")
    assert "Original headline" not in client.get("/world/").content.decode()
    assert "Original headline" in client.get("/politics/").content.decode()


def test_new_section_appears_in_every_cached_menu(client, story):
    client.get("/world/story/")
    SectionPageFactory(title="Science", slug="science").save_revision().publish()
    menu = soup(client.get("/world/story/").content).select(".site-nav a")
    assert [text(a) for a in menu] == ["World", "Science"]


def test_page_and_site_changed_signals_purge(client, story):
    client.get("/world/story/")
    page_changed.send(sender=None, page=story)
    assert client.get("/world/story/")["X-Cache"] == "MISS"
    client.get("/")
    site_changed.send(sender=None)
    assert client.get("/")["X-Cache"] == "MISS"


def test_tracking_parameters_share_the_cached_page(client, story):
    client.get("/world/story/")
    assert client.get("/world/story/?utm_source=news&fbclid=x")["X-Cache"] == "HIT"
    assert client.get("/world/?page=1")["X-Cache"] == "MISS"


def test_variants_have_separate_entries(client, story):
    def by_agent(request):
        return "phone" if "Phone" in request.headers.get("User-Agent", "") else "desktop"

    with hooks.register_temporarily("newsdesk_cache_variant", by_agent):
        client.get("/world/story/", headers={"User-Agent": "Desk"})
        assert client.get("/world/story/", headers={"User-Agent": "Phone"})["X-Cache"] == "MISS"
        assert client.get("/world/story/", headers={"User-Agent": "Phone"})["X-Cache"] == "HIT"
        assert client.get("/world/story/", headers={"User-Agent": "Desk"})["X-Cache"] == "HIT"


def test_a_purge_during_rendering_prevents_storing_the_old_page(rf, story):
    request = rf.get("/world/story/")
    request.cache_tags = ["site", f"page:{story.pk}"]
    before = page_cache.purge_counter()
    page_cache.purge(f"page:{story.pk}")  # an editor publishes while the page renders
    assert page_cache.store(request, HttpResponse(b"old"), request.cache_tags, before) is None
    assert page_cache.fetch(request) is None


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.set_cookie("x", "1"),
        lambda r: r.__setitem__("Vary", "Cookie"),
        lambda r: r.__setitem__("Cache-Control", "private"),
        lambda r: setattr(r, "status_code", 500),
    ],
)
def test_personal_or_failed_responses_are_not_cacheable(change):
    request = RequestFactory().get("/")
    request.cache_tags = ["site"]
    response = HttpResponse(b"x")
    assert response_is_cacheable(request, response)
    change(response)
    assert not response_is_cacheable(request, response)


def test_fragments_stay_fresh_inside_a_cached_page(client, story):
    from newsdesk.core.fragments import render

    current = {"value": "first"}

    def aside(context):
        return render("probe", context["request"], section=7)

    def probe(request, section):
        return f"<p>{current['value']} for {section}</p>"

    with (
        hooks.register_temporarily("newsdesk_slot_article_aside", aside),
        hooks.register_temporarily("newsdesk_fragment_probe", probe),
    ):
        first = client.get("/world/story/")
        assert "<p>first for 7</p>" in first.content.decode()
        current["value"] = "second"
        second = client.get("/world/story/")
        assert second["X-Cache"] == "HIT"
        assert "<p>second for 7</p>" in second.content.decode()
        assert second["ETag"] != first["ETag"]
