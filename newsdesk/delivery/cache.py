"""The page cache: whole responses for anonymous readers, invalidated exactly by tags.

Every cached response carries tags naming what it shows (``page:12``, ``section:4``, ``home``,
``author:ada-lane``, ``feeds``…) and, for each tag, the tag's *generation* when the response was
stored. Purging a tag bumps its generation, one atomic operation in the shared cache (Redis in
production), so every process on every machine sees the purge at once; a stored response whose
tag generations no longer match is stale and is rendered again.
"""

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from wagtail import hooks

from newsdesk.core import fragments

# v2: entries hold the page split at its fragments (``core.fragments.split``); v3: and the
# cache keys their fragments read.
KEY_PREFIX = "pagecache:v3:"
GENERATION_PREFIX = "pagegen:"
# Tracking parameters do not change the page; without dropping them every shared link would
# make a cache entry of its own.
IGNORED_PARAMETERS = {"fbclid", "gclid", "mc_cid", "mc_eid", "ref"}
STORED_HEADERS_EXCLUDED = {"set-cookie", "x-cache", "age", "date"}


def page_cache_seconds() -> int:
    return getattr(settings, "NEWSDESK_PAGE_CACHE_SECONDS", 600)


def variant(request) -> str:
    """Which version of a page this request gets (phone or desktop…), from the apps' hooks."""
    parts = [part for hook in hooks.get_hooks("newsdesk_cache_variant") if (part := hook(request))]
    return "|".join(parts)


def vary_headers(request) -> list[str]:
    """Request headers the variants of this request depend on (``newsdesk_cache_vary`` hooks),
    sent as ``Vary`` so that any other HTTP cache keeps the variants apart too."""
    return [name for hook in hooks.get_hooks("newsdesk_cache_vary") for name in hook(request)]


def request_key(request) -> str:
    query = sorted(
        (name, value)
        for name, value in parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
        if name not in IGNORED_PARAMETERS and not name.startswith("utm_")
    )
    identity = "\n".join(
        [request.scheme, request.get_host(), request.path, urlencode(query), variant(request)]
    )
    return KEY_PREFIX + hashlib.sha256(identity.encode()).hexdigest()


@dataclass
class Entry:
    status: int
    headers: list[tuple[str, str]]
    # The page as static parts (bytes) and fragment holes (``core.fragments.Hole``), with the
    # hash of each static part (None for holes) for the ETags of hits.
    parts: tuple
    digests: tuple
    tags: dict[str, int]
    stored_at: float
    etag: str
    # What the fragments' providers read from the shared cache: fetched with the generations.
    fragment_keys: tuple = ()

    def render(self, request) -> tuple[bytes, str]:
        """The page with fresh fragments, and its ETag."""
        if len(self.parts) == 1:
            return self.parts[0], self.etag
        filled = fragments.fill(self.parts, request)
        return b"".join(filled), quoted_etag(fragments.digest(filled, self.digests))


def generations(tags) -> dict[str, int]:
    keys = {GENERATION_PREFIX + tag: tag for tag in tags}
    found = cache.get_many(list(keys))
    return {tag: found.get(key) for key, tag in keys.items()}


def current_generations(tags) -> dict[str, int]:
    """Generations for storing; a tag never seen gets a fresh one (never a reused number)."""
    known = generations(tags)
    for tag, generation in known.items():
        if generation is None:
            fresh = time.time_ns()
            cache.add(GENERATION_PREFIX + tag, fresh, timeout=None)
            known[tag] = cache.get(GENERATION_PREFIX + tag, fresh)
    return known


def entry_seconds(status: int) -> int:
    # A redirect (the phone version of an article) lasts as long as the page it stands for.
    return page_cache_seconds() if status in {200, 302} else 60


class LocalEntries:
    """The entries this process served last, so that a hit need not fetch the whole page from
    the shared cache (a 30 KB transfer and unpickling) every time. A local entry obeys the same
    rule as the shared one — it is served only while the generations of all its tags are the
    ones it was stored with, read from the shared cache on every hit — so a purge (or a cleared
    cache, which loses the generations) reaches it exactly as it reaches the shared entry."""

    def __init__(self, size: int = 256):
        self.size = size
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Entry | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
        if entry is not None and time.time() >= entry.stored_at + entry_seconds(entry.status):
            return None  # the shared copy has expired too
        return entry

    def put(self, key: str, entry: Entry) -> None:
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


LOCAL = LocalEntries()


def fetch(request) -> Entry | None:
    key = request_key(request)
    local = LOCAL.get(key)
    if local is not None and is_current(local, request):
        return local
    entry = cache.get(key)
    if entry is None or not is_current(entry, request):
        return None  # never stored, expired, or purged since it was stored
    LOCAL.put(key, entry)
    return entry


def is_current(entry: Entry, request) -> bool:
    """Whether every tag of the entry still has the generation it was stored with. What the
    entry's fragments read from the shared cache comes in the same round trip, kept for them
    (``core.fragments.remember``): a hit costs one round trip to Redis."""
    found = cache.get_many([GENERATION_PREFIX + tag for tag in entry.tags] + [*entry.fragment_keys])
    for tag, generation in entry.tags.items():
        if found.get(GENERATION_PREFIX + tag) != generation:
            return False
    fragments.remember(request, entry.fragment_keys, found)
    return True


ANY_PURGE = GENERATION_PREFIX + "__any__"


def purge_counter():
    """Read before rendering: if it moved by the time a response is stored, a purge raced the
    rendering and the response may show the old content, so it is not stored."""
    return cache.get(ANY_PURGE)


def store(request, response, tags: list[str], counter_before) -> Entry | None:
    if purge_counter() != counter_before:
        return None
    tags = sorted(set(tags))
    body = response.content
    parts, current = fragments.split(body)
    entry = Entry(
        status=response.status_code,
        headers=[
            (name, value)
            for name, value in response.items()
            if name.lower() not in STORED_HEADERS_EXCLUDED
        ],
        parts=parts,
        digests=tuple(
            fragments.part_digest(part) if type(part) is bytes else None for part in parts
        ),
        tags=current_generations(tags),
        stored_at=time.time(),
        etag=quoted_etag(fragments.digest(current)),
        fragment_keys=fragments.cache_keys(parts),
    )
    key = request_key(request)
    cache.set(key, entry, entry_seconds(entry.status))
    LOCAL.put(key, entry)
    return entry


def quoted_etag(digest: str) -> str:
    """ETags hash the page without its volatile parts (``core.fragments.stable``), part by part
    (``core.fragments.digest``), so a hit's ETag costs only its fresh fragments."""
    return '"' + digest[:32] + '"'


def purge(*tags: str) -> None:
    """Make every cached response that shows any of these tags stale, everywhere: in the
    app's cache (all processes) and in the front cache or CDN, if one is configured."""
    for tag in {*tags, "__any__"}:
        key = GENERATION_PREFIX + tag
        try:
            cache.incr(key)
        except ValueError:  # never stored yet (or the cache is unreachable): start afresh
            cache.set(key, time.time_ns(), timeout=None)
    from .frontend import purge_front

    purge_front(set(tags))
