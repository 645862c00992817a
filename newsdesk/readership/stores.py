"""Counter stores: where the beacon records views before they become hourly counts.

``READERSHIP_STORES = {"default": {"BACKEND": "dotted.path", "LOCATION": ...}}`` picks one.

- :class:`RedisStore` (production, chosen when ``NEWSDESK_REDIS_URL`` is set): one Lua script per
  view does rate limit, de-duplication and counting in a single round trip; counts wait in a
  Redis hash until the worker flushes them into :class:`~.models.HourlyViews`.
- :class:`DatabaseStore` (the embedded default): de-duplication and counts in the database,
  written at once, so there is nothing to flush.

Both derive visitor keys from a salt that rotates each UTC day and is destroyed after it.
"""

import logging
import secrets
import threading
import time
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection, transaction
from django.utils.module_loading import import_string

from newsdesk.core.cache import CircuitBreaker, window_counts

from . import clock
from .models import DailySalt, FlushedBatch, HourlyViews, SeenView

logger = logging.getLogger(__name__)

COUNTED, DUPLICATE, LIMITED = "counted", "duplicate", "limited"


class StoreUnavailable(Exception):
    """The store cannot be reached; the view is answered 503 and not counted."""


def dedup_seconds() -> int:
    return getattr(settings, "NEWSDESK_READERSHIP_DEDUP_SECONDS", 1800)


def rate_limit() -> int:
    return getattr(settings, "NEWSDESK_READERSHIP_RATE_LIMIT", 120)


class CounterStore:
    """What every store does. ``visitor`` and ``client`` are already salted hashes."""

    def __init__(self, options: dict):
        self.options = options

    def salt(self, moment: datetime) -> bytes:
        raise NotImplementedError

    def allow(self, client: str, moment: datetime) -> bool:
        """Count one request against the client's per-minute limit; False past the limit."""
        raise NotImplementedError

    def record(
        self, article_id: int, visitor: str, client: str, moment: datetime, limited: bool = True
    ) -> str:
        """COUNTED, DUPLICATE (seen within the window) or LIMITED.

        With ``limited`` the request counts against the client's limit first; callers that
        already called :meth:`allow` for this request pass False.
        """
        raise NotImplementedError

    def flush(self) -> int:
        """Move buffered counts into hourly rows; the number of views moved."""
        return 0

    def pending(self) -> dict[int, int]:
        """Views recorded but not yet in hourly rows, per article."""
        return {}

    def prune(self, moment: datetime) -> None:
        """Destroy what has outlived its purpose (old salts, de-duplication entries)."""


class SaltMemo:
    """The day's salt, remembered by each process so a view needs no extra lookup."""

    def __init__(self, fetch):
        self.fetch = fetch
        self.day = None
        self.value = b""
        self.lock = threading.Lock()

    def get(self, moment: datetime) -> bytes:
        day = clock.utc_day(moment)
        if day != self.day:
            with self.lock:
                if day != self.day:
                    self.value, self.day = self.fetch(day), day
        return self.value


class DatabaseStore(CounterStore):
    def __init__(self, options):
        super().__init__(options)
        self.salts = SaltMemo(self._salt_for)

    def salt(self, moment):
        return self.salts.get(moment)

    @staticmethod
    def _salt_for(day) -> bytes:
        DailySalt.objects.filter(day__lt=day).delete()
        row, _ = DailySalt.objects.get_or_create(day=day, defaults={"salt": secrets.token_hex(32)})
        return bytes.fromhex(row.salt)

    def allow(self, client, moment):
        key = f"readership:rate:{client}:{int(moment.timestamp() // 60)}"
        return window_counts([(key, 120)])[0] <= rate_limit()

    def record(self, article_id, visitor, client, moment, limited=True):
        if limited and not self.allow(client, moment):
            return LIMITED
        seen, hourly = SeenView._meta.db_table, HourlyViews._meta.db_table
        cutoff = moment - timedelta(seconds=dedup_seconds())
        ops = connection.ops
        with transaction.atomic(), connection.cursor() as cursor:
            # One statement decides "new view" even under concurrency: the insert, or the
            # update of an entry older than the window, happens for exactly one request.
            cursor.execute(
                f"INSERT INTO {seen} (visitor, article, seen_at) VALUES (%s, %s, %s) "  # noqa: S608 - table names from models
                "ON CONFLICT (visitor, article) DO UPDATE SET seen_at = excluded.seen_at "
                f"WHERE {seen}.seen_at <= %s",
                [
                    visitor,
                    article_id,
                    ops.adapt_datetimefield_value(moment),
                    ops.adapt_datetimefield_value(cutoff),
                ],
            )
            if cursor.rowcount != 1:
                return DUPLICATE
            cursor.execute(
                f"INSERT INTO {hourly} (article_id, hour, views) VALUES (%s, %s, 1) "  # noqa: S608
                f"ON CONFLICT (article_id, hour) DO UPDATE SET views = {hourly}.views + 1",
                [article_id, clock.hour_of(moment)],
            )
        return COUNTED

    def prune(self, moment):
        SeenView.objects.filter(seen_at__lt=moment - timedelta(seconds=dedup_seconds())).delete()
        DailySalt.objects.filter(day__lt=clock.utc_day(moment)).delete()


# KEYS: rate counter, seen marker, pending hash. ARGV: limit (0: already checked), dedup
# seconds, "article:hour", the view's moment (unix seconds; the marker keeps the last counted
# moment, so the window follows the view's clock, simulated or not).
RECORD_SCRIPT = """
if ARGV[1] ~= '0' then
  local n = redis.call('INCR', KEYS[1])
  if n == 1 then redis.call('EXPIRE', KEYS[1], 120) end
  if n > tonumber(ARGV[1]) then return 2 end
end
local last = redis.call('GET', KEYS[2])
if last and tonumber(ARGV[4]) - tonumber(last) < tonumber(ARGV[2]) then return 1 end
redis.call('SET', KEYS[2], ARGV[4], 'EX', ARGV[2])
redis.call('HINCRBY', KEYS[3], ARGV[3], 1)
return 0
"""

# KEYS: pending hash, batch hash, batch set. ARGV: batch id. Moves what is pending into a batch.
SEAL_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('SADD', KEYS[3], ARGV[1])
return 1
"""

# KEYS: salt key. ARGV: fresh salt, expiry (unix seconds). The day's first caller sets it.
SALT_SCRIPT = """
redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EXAT', ARGV[2])
return redis.call('GET', KEYS[1])
"""

OUTCOMES = {0: COUNTED, 1: DUPLICATE, 2: LIMITED}


class RedisStore(CounterStore):
    def __init__(self, options):
        super().__init__(options)
        import redis

        location = options.get("LOCATION")
        if not location:
            raise ImproperlyConfigured("RedisStore needs a LOCATION (a redis:// URL).")
        self.prefix = options.get("KEY_PREFIX", "newsdesk:readership")
        self.client = redis.Redis.from_url(
            location, socket_connect_timeout=0.5, socket_timeout=0.5, health_check_interval=30
        )
        self.errors = (redis.RedisError, OSError)
        self.breaker = CircuitBreaker()
        self.record_script = self.client.register_script(RECORD_SCRIPT)
        self.seal_script = self.client.register_script(SEAL_SCRIPT)
        self.salt_script = self.client.register_script(SALT_SCRIPT)
        self.salts = SaltMemo(self._salt_for)
        self.pending_key = f"{self.prefix}:pending"
        self.batches_key = f"{self.prefix}:batches"

    def _call(self, function, *args, **kwargs):
        if not self.breaker.allows():
            raise StoreUnavailable("Redis unreachable (waiting before the next try)")
        try:
            result = function(*args, **kwargs)
        except self.errors as error:
            self.breaker.failed(error)
            raise StoreUnavailable(str(error)) from error
        self.breaker.succeeded()
        return result

    def salt(self, moment):
        return self.salts.get(moment)

    def _salt_for(self, day) -> bytes:
        # Expires when its day ends (at least a minute ahead, for a simulated past day).
        expires = max(int(clock.end_of_day(day).timestamp()), int(time.time()) + 60)
        value = self._call(
            self.salt_script,
            keys=[f"{self.prefix}:salt:{day.isoformat()}"],
            args=[secrets.token_hex(32), expires],
        )
        return bytes.fromhex(value.decode())

    def _rate_key(self, client, moment):
        return f"{self.prefix}:rate:{client}:{int(moment.timestamp() // 60)}"

    def allow(self, client, moment):
        key = self._rate_key(client, moment)
        pipe = self.client.pipeline()
        pipe.incr(key)
        pipe.expire(key, 120, nx=True)
        count, _ = self._call(pipe.execute)
        return count <= rate_limit()

    def record(self, article_id, visitor, client, moment, limited=True):
        outcome = self._call(
            self.record_script,
            keys=[
                self._rate_key(client, moment),
                f"{self.prefix}:seen:{visitor}:{article_id}",
                self.pending_key,
            ],
            args=[
                rate_limit() if limited else 0,
                dedup_seconds(),
                f"{article_id}:{clock.hour_of(moment)}",
                f"{moment.timestamp():.3f}",
            ],
        )
        return OUTCOMES[int(outcome)]

    def pending(self):
        totals: dict[int, int] = {}
        keys = [self.pending_key] + [
            f"{self.prefix}:batch:{b.decode()}"
            for b in self._call(self.client.smembers, self.batches_key)
        ]
        for key in keys:
            for field, count in self._call(self.client.hgetall, key).items():
                article = int(field.split(b":")[0])
                totals[article] = totals.get(article, 0) + int(count)
        return totals

    def flush(self) -> int:
        """Seal what is pending into a batch, then write every unwritten batch exactly once.

        A crash before the database commit leaves the batch in Redis for the next flush; a
        crash after it leaves a FlushedBatch row, so the next flush only deletes the batch.
        """
        batch = uuid.uuid4().hex
        self._call(
            self.seal_script,
            keys=[self.pending_key, f"{self.prefix}:batch:{batch}", self.batches_key],
            args=[batch],
        )
        moved = 0
        for raw in sorted(self._call(self.client.smembers, self.batches_key)):
            batch_id = raw.decode()
            key = f"{self.prefix}:batch:{batch_id}"
            counts = self._call(self.client.hgetall, key)
            try:
                moved += write_batch(batch_id, counts)
            except IntegrityError:
                logger.info("Batch %s was written by another flush", batch_id)
            self._call(self.client.delete, key)
            self._call(self.client.srem, self.batches_key, batch_id)
        return moved

    def prune(self, moment):
        """Salts and de-duplication entries expire by themselves in Redis."""


def write_batch(batch_id: str, counts: dict[bytes, bytes]) -> int:
    """Add a batch's ``article:hour → views`` to the hourly rows, once (see FlushedBatch)."""
    from newsdesk.news.models import ArticlePage

    rows: dict[tuple[int, int], int] = {}
    for field, value in counts.items():
        article, hour = (int(part) for part in field.split(b":"))
        rows[(article, hour)] = rows.get((article, hour), 0) + int(value)
    # The beacon checked that each article was live; one deleted since has nowhere to go.
    existing = set(
        ArticlePage.objects.filter(pk__in={article for article, _ in rows}).values_list(
            "pk", flat=True
        )
    )
    params = [(a, h, n) for (a, h), n in sorted(rows.items()) if a in existing]
    hourly = HourlyViews._meta.db_table
    with transaction.atomic():
        FlushedBatch.objects.create(id=batch_id)
        if params:
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {hourly} (article_id, hour, views) VALUES (%s, %s, %s) "  # noqa: S608
                    f"ON CONFLICT (article_id, hour) DO UPDATE "
                    f"SET views = {hourly}.views + excluded.views",
                    params,
                )
    return sum(n for _, _, n in params)


_stores: dict[str, CounterStore] = {}
_stores_lock = threading.Lock()


def get_store(alias: str = "default") -> CounterStore:
    store = _stores.get(alias)
    if store is None:
        with _stores_lock:
            store = _stores.get(alias)
            if store is None:
                config = getattr(settings, "READERSHIP_STORES", {}).get(alias)
                if not config or "BACKEND" not in config:
                    raise ImproperlyConfigured(
                        f"READERSHIP_STORES[{alias!r}] needs a BACKEND (a dotted path)."
                    )
                try:
                    backend = import_string(config["BACKEND"])
                except ImportError as error:
                    raise ImproperlyConfigured(
                        f"READERSHIP_STORES[{alias!r}] BACKEND cannot be imported: {error}"
                    ) from error
                options = {k: v for k, v in config.items() if k != "BACKEND"}
                store = _stores[alias] = backend(options)
    return store


def reset_stores() -> None:
    """Forget built stores (tests that change settings)."""
    _stores.clear()
