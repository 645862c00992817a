"""Through real Varnish (deploy/varnish) in front of a real app server: phone, desktop and
opted-out buckets stay apart, the device class is asked once per client, and purges reach
both versions."""

import pytest

from newsdesk.core import testing
from newsdesk.mobile import devices

from .conftest import DESKTOP, IPAD, IPHONE, PIXEL

CHROME_DESKTOP_UA_ON_PHONE = DESKTOP  # with Sec-CH-UA-Mobile: ?1, the hint decides


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    with testing.app_behind_varnish(
        tmp_path_factory,
        "mobile-front",
        "import json; from newsdesk.news.factories import *; "
        "from django.contrib.auth.models import User; "
        "User.objects.create_superuser('ed', 'ed@example.com', 'pw'); "
        "world = SectionPageFactory(title='World', slug='world'); "
        "story = ArticlePageFactory(parent=world, title='First story', slug='first'); "
        "print(json.dumps({'story': story.pk}))",
    ) as site:
        site["log"] = testing.Path(site["env"]["NEWSDESK_DATA_DIR"])
        yield site


def get(site, path, agent, cookie="", **extra):
    headers = {"User-Agent": agent, **extra}
    if cookie:
        headers["Cookie"] = cookie
    return site.get(path, headers=headers)


def version(response) -> str:
    status, headers, body = response
    if status == 302:
        return "redirect:" + headers["Location"]
    assert status == 200, (status, headers)
    return "full+link" if ">Mobile version</a>" in body else "full"


READERS = {
    "desktop": (DESKTOP, "", {}, "full"),
    "tablet": (IPAD, "", {}, "full"),
    "iphone": (IPHONE, "", {}, "redirect:/m/world/first/"),
    "android": (PIXEL, "", {}, "redirect:/m/world/first/"),
    "chrome-phone-hint": (
        CHROME_DESKTOP_UA_ON_PHONE,
        "",
        {"Sec-CH-UA-Mobile": "?1"},
        "redirect:/m/world/first/",
    ),
    "phone-desktop-mode": (PIXEL, "", {"Sec-CH-UA-Mobile": "?0"}, "full"),
    "opted-out": (IPHONE, "_ga=GA1.1; newsdesk_full=1", {}, "full+link"),
    "desktop-with-cookie": (DESKTOP, "newsdesk_full=1; other=2", {}, "full"),
}


def test_phone_and_desktop_stay_apart_through_varnish(front):
    site = front["front"]
    # Two rounds in two orders: whoever fills the cache first, every reader gets their own.
    for order in (list(READERS), list(READERS)[::-1]):
        for name in order:
            agent, cookie, extra, expected = READERS[name]
            response = get(site, "/world/first/", agent, cookie, **extra)
            assert version(response) == expected, name
    for name, (agent, cookie, extra, _) in READERS.items():
        _, headers, _ = get(site, "/world/first/", agent, cookie, **extra)
        assert headers["X-Front-Cache"] == "HIT", name
        # Downstream caches still learn what the page depends on.
        assert "User-Agent" in headers.get("Vary", ""), name


def test_the_device_class_is_asked_once_per_client_and_cached(front):
    site = front["front"]
    agent = IPHONE.replace("17_5", "17_6")
    first = get(site, "/_device", agent)
    second = get(site, "/_device", agent)
    assert first[2] == second[2] == "phone"
    assert second[1]["X-Front-Cache"] == "HIT"
    assert get(site, "/_device", DESKTOP)[2] == "desktop"
    # A client cannot choose its own bucket.
    response = get(site, "/world/first/", IPHONE, **{"X-Newsdesk-Device": "desktop"})
    assert version(response) == "redirect:/m/world/first/"


def test_a_client_hint_decides_in_varnish_without_asking_the_app(front):
    site = front["front"]
    agent = DESKTOP + " HintProbe/1"  # a client Varnish has not seen
    for hint, expected, device in (
        ("?1", "redirect:/m/world/first/", "phone"),
        ("?0", "full", "desktop"),
    ):
        response = get(site, "/world/first/", agent, **{"Sec-CH-UA-Mobile": hint})
        assert version(response) == expected, hint
        # The class came from the hint: this client's class was never asked of the app.
        _, headers, body = get(site, "/_device", agent, **{"Sec-CH-UA-Mobile": hint})
        assert (headers["X-Front-Cache"], body) == ("MISS", device), hint


def test_the_mobile_page_is_cached_once_for_everyone(front):
    site = front["front"]
    get(site, "/m/world/first/", IPHONE)
    for agent in (IPHONE, DESKTOP, PIXEL):
        status, headers, body = get(site, "/m/world/first/", agent)
        assert status == 200 and "First story" in body
        assert headers["X-Front-Cache"] == "HIT"


def test_an_edit_purges_both_versions_in_every_bucket(front):
    site = front["front"]
    for agent, cookie, extra, _ in READERS.values():
        get(site, "/world/first/", agent, cookie, **extra)
    get(site, "/m/world/first/", IPHONE)
    testing.shell(
        front["env"],
        "from newsdesk.news.models import ArticlePage; p = ArticlePage.objects.get(slug='first'); "
        "p.title = 'First story, corrected'; p.save_revision(); print(1)",
    )
    editor = testing.admin_session(site.url, "ed", "pw")
    testing.publish_through_admin(editor, site.url, front["ids"]["story"])
    _, headers, body = get(site, "/m/world/first/", IPHONE)
    assert headers["X-Front-Cache"] == "MISS" and "First story, corrected" in body
    for name in ("desktop", "opted-out"):
        agent, cookie, extra, _ = READERS[name]
        _, headers, body = get(site, "/world/first/", agent, cookie, **extra)
        assert headers["X-Front-Cache"] == "MISS", name
        assert "First story, corrected" in body, name


def test_the_rendered_configuration_names_the_apps_cookie(front):
    vcl = testing.newsdesk(front["env"], "front_config", "varnish").stdout
    assert f"{devices.OPT_OUT_COOKIE}=1" in vcl
