"""Fixtures shared by every app's tests."""

import os
import zlib
from urllib.parse import urlsplit, urlunsplit

import pytest

from newsdesk.core import testing

# Playwright's sync API runs an event loop in the test thread; the ORM calls our tests make
# around it are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_sessionstart(session):
    """Against services, fail loudly at once when they are unreachable: never skip."""
    database_url = os.environ.get("NEWSDESK_DATABASE_URL", "")
    if database_url:
        import psycopg

        try:
            psycopg.connect(database_url, connect_timeout=3).close()
        except psycopg.Error as error:
            pytest.exit(f"PostgreSQL at NEWSDESK_DATABASE_URL is unreachable: {error}", 3)
    redis_url = os.environ.get("NEWSDESK_REDIS_URL", "")
    if redis_url:
        import redis

        try:
            redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
        except redis.RedisError as error:
            pytest.exit(f"Redis at NEWSDESK_REDIS_URL is unreachable: {error}", 3)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (in-process, or the test Redis database)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def services():
    """PostgreSQL and Redis URLs for tests that need both; fails (never skips) without them."""
    database_url = os.environ.get("NEWSDESK_DATABASE_URL", "")
    redis_url = os.environ.get("NEWSDESK_REDIS_URL", "")
    if not database_url.startswith("postgres") or not redis_url:
        pytest.fail(
            "This test needs PostgreSQL and Redis: run it with `make test-services` "
            "(NEWSDESK_DATABASE_URL and NEWSDESK_REDIS_URL)."
        )
    return {"database": database_url, "redis": redis_url}


@pytest.fixture
def home(db):
    from newsdesk.news.factories import home_page

    return home_page()


def _fresh_postgres_database(url: str, name: str) -> str:
    """Create (or recreate) database ``name`` on the server of ``url``; return its URL."""
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(
        urlunsplit(parts._replace(path="/postgres")), autocommit=True
    ) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def live_site_env(tmp_path_factory, label: str) -> dict:
    """Environment for a server subprocess on its own data: SQLite file, or a fresh PostgreSQL
    database and a Redis database number of its own when the suite runs against services."""
    data_dir = tmp_path_factory.mktemp(label)
    extra = {}
    database_url = os.environ.get("NEWSDESK_DATABASE_URL", "")
    if database_url.startswith("postgres"):
        prefix = os.environ.get("NEWSDESK_TEST_PREFIX", "")
        name = f"newsdesk_{prefix}" + "".join(c if c.isalnum() else "_" for c in label)[:50]
        extra["NEWSDESK_DATABASE_URL"] = _fresh_postgres_database(database_url, name)
    redis_url = os.environ.get("NEWSDESK_REDIS_URL", "")
    if redis_url:
        import redis

        number = 2 + zlib.crc32(label.encode()) % 14  # a Redis database of its own
        own = urlunsplit(urlsplit(redis_url)._replace(path=f"/{number}"))
        redis.Redis.from_url(own).flushdb()
        extra["NEWSDESK_REDIS_URL"] = own
    return testing.site_env(data_dir, **extra)


@pytest.fixture
def site_env(tmp_path_factory, request):
    """Environment for a server or command subprocess on fresh data of its own."""
    return live_site_env(tmp_path_factory, request.node.name[:40].lower())


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    """The demo site (migrated, demo loaded) served by `newsdesk serve` in a subprocess."""
    env = live_site_env(tmp_path_factory, "demo-site")
    testing.newsdesk(env, "migrate", "--noinput")
    testing.newsdesk(env, "collectstatic", "--noinput", "--verbosity", "0")
    testing.newsdesk(env, "demo")
    url, process = testing.start_server(env)
    site = testing.LiveSite(
        url=url, env=env, data_dir=testing.Path(env["NEWSDESK_DATA_DIR"]), process=process
    )
    yield site
    testing.stop(process)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = testing.launch_chromium(playwright)
        yield chromium
        chromium.close()
