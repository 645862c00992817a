"""The cache backends: a Redis cache that degrades to "no cache" while Redis is unreachable,
and the embedded default's in-process cache.

Readers must keep getting pages when Redis goes away: every cache call then behaves like a miss
(reads return the default, writes are dropped), a warning is logged once per outage, and Redis is
tried again after a short pause so caching resumes by itself when it comes back.
"""

import logging
import threading
import time

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("newsdesk.cache")

REDIS_DOWN_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)


class CircuitBreaker:
    """Skips calls for ``pause`` seconds after a failure instead of waiting on every call."""

    def __init__(self, pause: float = 2.0):
        self.pause = pause
        self.open_until = 0.0
        self.down = False
        self.lock = threading.Lock()

    def allows(self) -> bool:
        return time.monotonic() >= self.open_until

    def failed(self, error: Exception) -> None:
        with self.lock:
            self.open_until = time.monotonic() + self.pause
            if not self.down:
                self.down = True
                logger.warning("Redis unreachable, serving without cache: %s", error)

    def succeeded(self) -> None:
        if self.down:
            with self.lock:
                if self.down:
                    self.down = False
                    logger.warning("Redis reachable again, caching resumed.")


class WithoutMemcachedKeyCheck:
    """Django's cache backends check every key on every call for what memcached, which we never
    use, would refuse: a walk over every character of every key, a third of an in-process
    cache read and of a page-cache hit's key handling."""

    def validate_key(self, key):
        pass


class InProcessCache(WithoutMemcachedKeyCheck, LocMemCache):
    """The embedded default's cache: Django's in-process cache (see the mixin)."""


def _guard(method_name: str, fallback):
    parent = getattr(RedisCache, method_name)

    def method(self, *args, **kwargs):
        if not self.breaker.allows():
            return fallback(*args, **kwargs)
        try:
            result = parent(self, *args, **kwargs)
        except REDIS_DOWN_ERRORS as error:
            self.breaker.failed(error)
            return fallback(*args, **kwargs)
        self.breaker.succeeded()
        return result

    method.__name__ = method_name
    return method


def _default(key, default=None, version=None):
    return default


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client makes a new ``redis.Redis`` for every cache call, and building one fills
    its table of some 170 response callbacks: more CPU than the round trip itself, on every hit
    of the page cache. A ``redis.Redis`` only wraps its connection pool and is safe to share
    between threads, so one per pool serves every call."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(WithoutMemcachedKeyCheck, RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self.breaker = CircuitBreaker()

    @property
    def is_available(self) -> bool:
        return self.breaker.allows()

    get = _guard("get", _default)
    set = _guard("set", lambda *a, **k: None)
    add = _guard("add", lambda *a, **k: False)
    touch = _guard("touch", lambda *a, **k: False)
    delete = _guard("delete", lambda *a, **k: False)
    get_many = _guard("get_many", lambda *a, **k: {})
    set_many = _guard("set_many", lambda data, *a, **k: list(data))
    delete_many = _guard("delete_many", lambda *a, **k: None)
    has_key = _guard("has_key", lambda *a, **k: False)
    clear = _guard("clear", lambda *a, **k: False)

    def window_counts(self, windows: list[tuple[str, int]]) -> list[int]:
        """See :func:`window_counts`: in one round trip (Django's ``add`` and ``incr`` take
        three per key); zeros, which let everything through, while Redis is unreachable."""
        if not self.breaker.allows():
            return [0] * len(windows)
        try:
            pipe = self._cache.get_client(write=True).pipeline(transaction=False)
            for key, seconds in windows:
                full_key = self.make_and_validate_key(key)
                pipe.set(full_key, 0, ex=seconds, nx=True)  # stored as Django stores integers
                pipe.incr(full_key)
            results = pipe.execute()
        except REDIS_DOWN_ERRORS as error:
            self.breaker.failed(error)
            return [0] * len(windows)
        self.breaker.succeeded()
        return [int(count) for count in results[1::2]]

    def incr(self, key, delta=1, version=None):
        if not self.breaker.allows():
            raise ValueError("Cache unavailable.")
        try:
            result = super().incr(key, delta, version)
        except REDIS_DOWN_ERRORS as error:
            self.breaker.failed(error)
            raise ValueError("Cache unavailable.") from error
        self.breaker.succeeded()
        return result


def window_counts(windows: list[tuple[str, int]], backend=None) -> list[int]:
    """Fixed-window counters (rate limits) in the shared cache, so every process and machine
    counts together: each ``(key, seconds)`` is created at 0 with that expiry unless it exists,
    then incremented; returns the new counts. Fails open (0) when the cache cannot count."""
    backend = backend or caches["default"]
    if isinstance(backend, ResilientRedisCache):
        return backend.window_counts(windows)
    counts = []
    for key, seconds in windows:
        backend.add(key, 0, seconds)
        try:
            counts.append(backend.incr(key))
        except ValueError:  # expired (or evicted) between add and incr
            counts.append(0)
    return counts
