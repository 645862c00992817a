"""Production shape: several app processes sharing PostgreSQL and Redis; Redis outages."""

import json
import subprocess
import time

import pytest
import redis

from newsdesk.core import testing

pytestmark = pytest.mark.services


def shell(env, code: str) -> str:
    return testing.newsdesk(env, "shell", "-c", code).stdout.strip().splitlines()[-1]


def test_two_app_servers_share_postgres_and_redis(site_env, services):
    assert site_env["NEWSDESK_DATABASE_URL"].startswith("postgres")
    testing.newsdesk(site_env, "migrate", "--noinput")
    ids = json.loads(
        shell(
            site_env,
            "import json; from newsdesk.news.factories import *; "
            "from django.contrib.auth.models import User; "
            "User.objects.create_superuser('ed', 'ed@example.com', 'pw'); "
            "world = SectionPageFactory(title='World', slug='world'); "
            "draft = ArticlePageFactory(parent=world, title='Fresh story', slug='fresh'); "
            "draft.unpublish(); draft.save_revision(); "
            "science = SectionPageFactory(title='Science', slug='science'); "
            "science.unpublish(); science.save_revision(); "
            "print(json.dumps([draft.pk, science.pk]))",
        )
    )
    first_url, first = testing.start_server(site_env)
    second_url, second = testing.start_server(site_env)
    try:
        one = testing.LiveSite(first_url, site_env, None, first)
        two = testing.LiveSite(second_url, site_env, None, second)
        assert two.get("/world/fresh/")[0] == 404
        assert "/science/" not in two.get("/")[2]  # the menu is now cached in Redis

        editor = testing.admin_session(first_url, "ed", "pw")
        testing.publish_through_admin(editor, first_url, ids[0])
        assert two.get("/world/fresh/")[0] == 200  # published on one, served by the other
        assert two.get("/world/fresh/")[1]["X-Cache"] == "HIT"  # and now in the shared cache

        shell(
            site_env,
            "from newsdesk.news.models import ArticlePage; p = ArticlePage.objects.get(slug='fresh'); "
            "p.title = 'Fresh story, updated'; p.save_revision(); print(1)",
        )
        testing.publish_through_admin(editor, first_url, ids[0])
        _status, headers, body = two.get("/world/fresh/")
        assert "Fresh story, updated" in body  # the purge made on one reached the other
        assert headers["X-Cache"] == "MISS"

        testing.publish_through_admin(editor, first_url, ids[1])
        assert 'href="/science/"' in two.get("/")[2]  # the purge on one reached the other
        assert 'href="/science/"' in one.get("/")[2]
    finally:
        testing.stop(first)
        testing.stop(second)


def start_redis(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    for _ in range(50):
        try:
            client.ping()
            return process
        except redis.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError("redis-server did not start")


def test_pages_survive_a_redis_outage_and_caching_resumes(tmp_path, services):
    port = testing.free_port()
    cache_server = start_redis(port)
    env = testing.site_env(tmp_path, NEWSDESK_REDIS_URL=f"redis://127.0.0.1:{port}/0")
    testing.newsdesk(env, "migrate", "--noinput")
    shell(env, "from newsdesk.news.factories import *; ArticlePageFactory(slug='story'); print(1)")
    url, server = testing.start_server(env)
    site = testing.LiveSite(url, env, tmp_path, server)
    client = redis.Redis(port=port)
    try:
        assert site.get("/")[0] == 200
        assert client.keys("*section-navigation*")

        cache_server.terminate()
        cache_server.wait()
        for path in ["/", "/section-0/story/", "/section-0/"]:
            status, _, body = site.get(path.replace("section-0", section_slug(env)))
            assert status == 200, path
        status, _, body = site.get("/healthz")
        assert status == 200
        assert json.loads(body) == {
            "status": "degraded",
            "checks": {"database": "ok", "cache": "unreachable"},
        }
        log = (tmp_path / f"server-{url.rsplit(':', 1)[1]}.log").read_text()
        assert "Redis unreachable, serving without cache" in log
        assert "Traceback" not in log

        cache_server = start_redis(port)
        deadline = time.monotonic() + 15
        while not client.keys("*section-navigation*"):
            assert time.monotonic() < deadline, "caching did not resume"
            site.get("/")
            time.sleep(0.5)
        assert json.loads(site.get("/healthz")[2])["status"] == "ok"
    finally:
        testing.stop(server)
        testing.stop(cache_server)


def section_slug(env) -> str:
    return shell(
        env, "from newsdesk.news.models import SectionPage; print(SectionPage.objects.get().slug)"
    )


def test_database_going_away_mid_flight_gives_503_then_recovers(site_env, services):
    """PostgreSQL reached through a relay the test cuts while the server is running."""
    from urllib.parse import urlsplit

    database = urlsplit(site_env["NEWSDESK_DATABASE_URL"])
    proxy = testing.TcpProxy(database.hostname, database.port or 5432)
    env = dict(site_env)
    env["NEWSDESK_DATABASE_URL"] = database._replace(
        netloc=f"{database.username}@127.0.0.1:{proxy.port}"
    ).geturl()
    testing.newsdesk(env, "migrate", "--noinput")
    shell(env, "from newsdesk.news.factories import *; ArticlePageFactory(slug='story'); print(1)")
    url, server = testing.start_server(env)
    site = testing.LiveSite(url, env, None, server)
    try:
        story = "/" + section_slug(env) + "/story/"
        assert site.get(story)[0] == 200
        proxy.cut()
        cached = site.get(story)
        assert cached[0] == 200 and cached[1]["X-Cache"] == "HIT"  # cached pages still served
        status, headers, body = site.get(story + "?page=2")  # anything not cached needs the DB
        assert status == 503
        assert "Temporarily unavailable" in body and "Traceback" not in body
        assert headers["Retry-After"] == "30"
        status, _, body = site.get("/healthz")
        assert status == 503
        assert json.loads(body)["checks"]["database"] == "unreachable"
        proxy.restore()
        deadline = time.monotonic() + 10
        while site.get(story + "?page=3")[0] != 200:
            assert time.monotonic() < deadline, "did not recover"
            time.sleep(0.2)
    finally:
        testing.stop(server)
        proxy.close()


@pytest.mark.django_db
def test_search_uses_postgres_full_text_search(services):
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    # newsdesk.search tunes Wagtail's PostgreSQL backend in a subclass.
    assert any("postgres" in cls.__module__ for cls in type(backend).__mro__)
