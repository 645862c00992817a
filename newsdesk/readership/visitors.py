"""Who is reading, without knowing who: salted visitor keys, client addresses, bots, staff.

Nothing here stores an IP address or sets a cookie. A visitor key is an HMAC of the address and
user agent under the day's salt; once the salt is destroyed (after its day) no key can be
linked to an address again, not even by us.
"""

import hashlib
import hmac
import ipaddress
import threading
import time
from functools import lru_cache
from importlib import import_module

from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http.cookie import parse_cookie

MAX_USER_AGENT = 512
PREFETCH_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")
PREFETCH_WORDS = ("prefetch", "prerender", "preview")

_detector = CrawlerDetect()


def visitor_key(salt: bytes, ip: str, user_agent: str) -> str:
    return hmac.new(salt, f"{ip}\n{user_agent}".encode(), hashlib.sha256).hexdigest()[:32]


def client_key(salt: bytes, ip: str) -> str:
    """Names a rate-limit counter for one address without storing the address."""
    return hmac.new(salt, f"client\n{ip}".encode(), hashlib.sha256).hexdigest()[:24]


def trusted_proxies() -> frozenset[str]:
    return frozenset(getattr(settings, "NEWSDESK_FORWARDED_ALLOW_IPS", ()))


def client_ip(environ) -> str:
    """The reader's address: REMOTE_ADDR, or the nearest untrusted X-Forwarded-For hop when the
    request came through one of our own proxies (NEWSDESK_FORWARDED_ALLOW_IPS)."""
    remote = environ.get("REMOTE_ADDR", "")
    proxies = trusted_proxies()
    if remote not in proxies and "*" not in proxies:
        return remote
    hops = [hop.strip() for hop in environ.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(hops):
        if hop and hop not in proxies:
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # a forged or broken header: fall back to the proxy itself
    return remote


@lru_cache(maxsize=4096)
def is_bot(user_agent: str) -> bool:
    """Crawlers, spiders, monitors and HTTP libraries (crawlerdetect); no user agent at all too."""
    if not user_agent.strip():
        return True
    return _detector.is_crawler(user_agent)


def is_prefetch(environ) -> bool:
    for header in PREFETCH_HEADERS:
        value = environ.get(header)
        if value and any(word in value.lower() for word in PREFETCH_WORDS):
            return True
    return False


def user_agent(environ) -> str:
    return environ.get("HTTP_USER_AGENT", "")[:MAX_USER_AGENT]


def is_signed_in(environ) -> bool:
    """A newsroom member's session rides along with the beacon; their reading is not counted.

    Only requests that carry a session cookie pay for the lookup: readers have none.
    """
    raw = environ.get("HTTP_COOKIE")
    if not raw or settings.SESSION_COOKIE_NAME not in raw:
        return False
    session_key = parse_cookie(raw).get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return False
    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore(session_key)
    return bool(session.get(SESSION_KEY))


class LiveArticles:
    """Which ids are published, public articles: a per-process memo kept ``ttl`` seconds, so a
    beacon for a known article needs no database query. Unpublishing clears it in the process
    that unpublished; other processes notice within ``ttl``."""

    def __init__(self, ttl: float = 30, size: int = 50_000):
        self.ttl = ttl
        self.size = size
        self.memo: dict[int, tuple[bool, float]] = {}
        self.lock = threading.Lock()

    def known(self, article_id: int) -> bool | None:
        found = self.memo.get(article_id)
        if found is None or found[1] < time.monotonic():
            return None
        return found[0]

    def check(self, article_id: int) -> bool:
        from newsdesk.news.models import ArticlePage

        live = ArticlePage.objects.live().public().filter(pk=article_id).exists()
        with self.lock:
            if len(self.memo) >= self.size:
                self.memo.clear()
            self.memo[article_id] = (live, time.monotonic() + self.ttl)
        return live

    def forget(self, article_id: int | None = None) -> None:
        with self.lock:
            if article_id is None:
                self.memo.clear()
            else:
                self.memo.pop(article_id, None)


live_articles = LiveArticles()
