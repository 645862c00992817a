"""The app's page cache keeps the phone, desktop and opted-out buckets apart, and purges both
versions of an article together."""

import pytest

from newsdesk.core.testing import soup
from newsdesk.delivery.frontend import urls_for_tags

from .conftest import DESKTOP, IPAD, IPHONE

pytestmark = pytest.mark.django_db


def get(client, path, agent, opted_out=False):
    client.cookies.clear()
    if opted_out:
        client.cookies["newsdesk_full"] = "1"
    return client.get(path, headers={"User-Agent": agent})


def has_mobile_link(response) -> bool:
    return soup(response.content).find("a", string="Mobile version") is not None


def test_the_cache_never_mixes_the_buckets(client, story):
    # Each bucket is filled in turn, then each is read back from the cache, in every order.
    readers = [("desktop", DESKTOP, False), ("phone", IPHONE, False), ("opted-out", IPHONE, True)]
    expected = {"desktop": (200, False), "phone": (302, None), "opted-out": (200, True)}
    for _round in range(2):
        for name, agent, opted_out in readers + readers[::-1]:
            response = get(client, "/world/harbour/", agent, opted_out)
            status, link = expected[name]
            assert response.status_code == status, name
            if link is not None:
                assert has_mobile_link(response) is link, name
    for name, agent, opted_out in readers:
        assert get(client, "/world/harbour/", agent, opted_out)["X-Cache"] == "HIT", name
    # A tablet and a desktop with a leftover cookie share the desktop copy.
    assert get(client, "/world/harbour/", IPAD)["X-Cache"] == "HIT"
    assert not has_mobile_link(get(client, "/world/harbour/", DESKTOP, opted_out=True))


def test_the_mobile_page_and_fronts_keep_one_copy_for_everyone(client, story):
    get(client, "/m/world/harbour/", IPHONE)
    assert get(client, "/m/world/harbour/", DESKTOP)["X-Cache"] == "HIT"
    get(client, "/world/", DESKTOP)
    assert get(client, "/world/", IPHONE)["X-Cache"] == "HIT"


def test_publishing_purges_both_versions_in_every_bucket(client, story):
    readers = [(DESKTOP, False), (IPHONE, False), (IPHONE, True)]
    for agent, opted_out in readers:
        get(client, "/world/harbour/", agent, opted_out)
    get(client, "/m/world/harbour/", IPHONE)
    story.title = "Harbour reopens, boats return"
    story.save_revision().publish()
    for agent, opted_out in readers:
        response = get(client, "/world/harbour/", agent, opted_out)
        assert response["X-Cache"] == "MISS"
    mobile = get(client, "/m/world/harbour/", IPHONE)
    assert mobile["X-Cache"] == "MISS"
    assert "Harbour reopens, boats return" in mobile.content.decode()


def test_unpublishing_stops_the_phone_redirect(client, story):
    assert get(client, "/world/harbour/", IPHONE).status_code == 302
    story.unpublish()
    assert get(client, "/world/harbour/", IPHONE).status_code == 404
    assert get(client, "/m/world/harbour/", IPHONE).status_code == 404


def test_front_cache_purges_name_the_mobile_address(story):
    urls = urls_for_tags({f"page:{story.pk}"})
    assert "http://127.0.0.1:8000/world/harbour/" in urls
    assert "http://127.0.0.1:8000/m/world/harbour/" in urls


def test_headers_for_other_http_caches(client, story):
    full = get(client, "/world/harbour/", DESKTOP)
    vary = {v.strip().lower() for v in full["Vary"].split(",")}
    assert {"user-agent", "sec-ch-ua-mobile", "cookie"} <= vary
    assert "public" in full["Cache-Control"]
    assert full["Accept-CH"] == "Sec-CH-UA-Mobile"
    mobile = get(client, "/m/world/harbour/", IPHONE)
    assert "user-agent" not in mobile.get("Vary", "").lower()
