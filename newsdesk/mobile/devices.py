"""Which version of an article a reader gets: the phone/desktop decision and its cache bucket.

Phones are recognised by Matomo's Device Detector rules (the ``device-detector`` package, kept
up to date with new devices by its maintainers) and by the ``Sec-CH-UA-Mobile`` client hint
where the browser sends it. The hint wins: Chromium sends it with every request (it is a
default, low-entropy hint, so no ``Critical-CH`` round trip is needed), it is ``?1`` exactly
when the browser shows its phone interface, and ``?0`` on tablets and when a phone reader chose
"Desktop site" in the browser menu. Other browsers (Safari, Firefox) are classified by their
user agent. Tablets, desktops, bots that say nothing of a phone and unknown clients get the full
site: only a positive phone identification sends a reader to the mobile version.

The bucket adds the reader's own choice: a phone reader who left the mobile version keeps the
``newsdesk_full`` cookie and sees the full site (with a "Mobile version" link back).
"""

import functools
import re

from django.conf import settings
from wagtail.models import Page

PHONE = "phone"
DESKTOP = "desktop"
PHONE_FULL = "phone-full"  # a phone whose reader chose the full site
OPT_OUT_COOKIE = "newsdesk_full"
MOBILE_PREFIX = "/m"
# Longer user agents are cut before parsing: the rules match within the first few hundred
# characters, and parsing time must not grow with what a client sends.
MAX_USER_AGENT = 512
PHONE_TYPES = {"smartphone", "phablet", "feature phone"}
ARTICLE_PATH = re.compile(r"/(?P<section>[^/]+)/(?P<slug>[^/]+)/")


def device_class(user_agent: str, mobile_hint: str = "") -> str:
    """``"phone"`` or ``"desktop"`` (tablets and everything else) for one client."""
    hint = mobile_hint.strip()
    if hint == "?1":
        return PHONE
    if hint == "?0":
        return DESKTOP
    # Cut before the memo too: a client must not fill memory with long made-up agents.
    return classify_user_agent(user_agent[:MAX_USER_AGENT])


@functools.lru_cache(maxsize=16384)
def classify_user_agent(user_agent: str) -> str:
    if not user_agent:
        return DESKTOP
    from device_detector import DeviceDetector

    # Our memo keeps the answer; the library's own (whole parsed objects) is not needed.
    detected = DeviceDetector(user_agent, skip_bot_detection=True, check_cache=False).parse()
    return PHONE if str(detected.device_type()) in PHONE_TYPES else DESKTOP


def request_device(request) -> str:
    # From META rather than request.headers: this runs on every page-cache hit, and
    # request.headers parses every header of the request the first time it is read.
    meta = request.META
    return device_class(meta.get("HTTP_USER_AGENT", ""), meta.get("HTTP_SEC_CH_UA_MOBILE", ""))


def bucket(request) -> str:
    """``phone``, ``desktop`` or ``phone-full``: what the full article URL answers this reader."""
    device = request_device(request)
    if device == PHONE and request.COOKIES.get(OPT_OUT_COOKIE) == "1":
        return PHONE_FULL
    return device


def is_article_path(path: str) -> bool:
    """Whether a path has the shape of a full article address, ``/<section>/<slug>/``.

    Only there does the answer depend on the device; everything else (fronts, feeds, the
    mobile pages themselves) is the same for every reader. Reserved first segments (``/tags/``,
    ``/authors/``, ``/m/``…) can never be sections.
    """
    match = ARTICLE_PATH.fullmatch(path)
    return bool(match) and match["section"] not in settings.NEWSDESK_RESERVED_SLUGS


def full_path(page: Page, request=None) -> str | None:
    url = page.get_url(request=request)
    return url if url and url.startswith("/") else None


def mobile_path(page: Page, request=None) -> str | None:
    """``/m/<section>/<slug>/`` for an article served on this site."""
    path = full_path(page, request)
    return MOBILE_PREFIX + path if path else None
