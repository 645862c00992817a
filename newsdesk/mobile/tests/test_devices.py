"""Phones (and only phones) are recognised, by the library's rules and the client hint."""

import pytest
from django.test import RequestFactory

from newsdesk.mobile import devices

from .conftest import DESKTOP, GALAXY_TAB, IPAD, IPHONE, PIXEL

FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:126.0) Gecko/126.0 Firefox/126.0"
# Chrome's reduced user agent: "Mobile" is the only difference between a phone and a tablet.
REDUCED_PHONE = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/125.0.0.0 Mobile Safari/537.36"
)
REDUCED_TABLET = REDUCED_PHONE.replace(" Mobile", "")
IPADOS_DESKTOP_MODE = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15"
)
GOOGLEBOT_SMARTPHONE = (
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/125.0.6422.175 Mobile Safari/537.36 (compatible; Googlebot/2.1; "
    "+http://www.google.com/bot.html)"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        (IPHONE, "phone"),
        (PIXEL, "phone"),
        (FIREFOX_ANDROID, "phone"),
        (REDUCED_PHONE, "phone"),
        (GOOGLEBOT_SMARTPHONE, "phone"),  # Google crawls the mobile version as phones see it
        (IPAD, "desktop"),
        (GALAXY_TAB, "desktop"),
        (REDUCED_TABLET, "desktop"),
        (IPADOS_DESKTOP_MODE, "desktop"),
        (DESKTOP, "desktop"),
        (GOOGLEBOT, "desktop"),
        ("curl/8.5.0", "desktop"),
        ("", "desktop"),
        ("x" * 100_000, "desktop"),
    ],
)
def test_user_agents(user_agent, expected):
    assert devices.device_class(user_agent) == expected


def test_the_client_hint_decides_where_the_browser_sends_it():
    # A phone whose reader chose "Desktop site" in Chrome sends ?0 with a desktop-like agent;
    # a phone interface sends ?1 whatever the agent says.
    assert devices.device_class(PIXEL, "?0") == "desktop"
    assert devices.device_class(DESKTOP, "?1") == "phone"
    assert devices.device_class(IPHONE, "") == "phone"
    assert devices.device_class(IPHONE, "nonsense") == "phone"


def test_bucket_adds_the_readers_choice_for_phones_only():
    factory = RequestFactory()
    phone = factory.get("/world/x/", headers={"User-Agent": IPHONE})
    assert devices.bucket(phone) == "phone"
    phone.COOKIES[devices.OPT_OUT_COOKIE] = "1"
    assert devices.bucket(phone) == "phone-full"
    desktop = factory.get("/world/x/", headers={"User-Agent": DESKTOP})
    desktop.COOKIES[devices.OPT_OUT_COOKIE] = "1"
    assert devices.bucket(desktop) == "desktop"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/world/story/", True),
        ("/world/", False),
        ("/", False),
        ("/world/story/m/", False),
        ("/m/world/story/", False),
        ("/authors/ada/", False),
        ("/tags/weather/", False),
        ("/feed/atom/", False),
        ("/world/story", False),
    ],
)
def test_only_full_article_addresses_depend_on_the_device(path, expected):
    assert devices.is_article_path(path) is expected
