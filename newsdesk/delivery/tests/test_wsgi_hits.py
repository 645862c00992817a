"""Page-cache hits answered before Django's handler (newsdesk.delivery.wsgi) are the same
answers Django's own path gives: security headers, ETags and 304s, fresh fragments, bypasses."""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory, override_settings

from newsdesk.core import fragments
from newsdesk.core.fastpath import FastPaths
from newsdesk.delivery.wsgi import PageCacheApp
from newsdesk.news.factories import ArticlePageFactory, SectionPageFactory

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = [
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Permissions-Policy",
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: the handler's request signals must not close the test's
    database connection (it holds the test's transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def story():
    world = SectionPageFactory(title="World", slug="world")
    return ArticlePageFactory(parent=world, title="Original headline", slug="story")


class Answer:
    def __init__(self, app, path, **extra):
        environ = RequestFactory().get(path, **extra).environ
        chunks = app(environ, self.start_response)
        self.body = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()

    def start_response(self, status, headers, exc_info=None):
        self.status = int(status.split()[0])
        self.headers = dict(headers)


def production_app():
    """As newsdesk.wsgi builds it, around Django's own handler."""
    return FastPaths(PageCacheApp(WSGIHandler()))


def test_a_hit_before_django_has_the_headers_of_django_s_own_path(client, story):
    app = production_app()
    miss = Answer(app, "/world/story/")
    assert miss.headers["X-Cache"] == "MISS"
    hit = Answer(app, "/world/story/")
    assert hit.status == 200 and hit.headers["X-Cache"] == "HIT"
    through_django = client.get("/world/story/")
    assert through_django["X-Cache"] == "HIT"
    for name in SECURITY_HEADERS:
        assert hit.headers[name] == miss.headers[name] == through_django[name], name
    assert hit.headers["ETag"] == miss.headers["ETag"] == through_django["ETag"]
    assert hit.headers["Cache-Control"] == through_django["Cache-Control"]
    assert hit.headers["Vary"] == through_django["Vary"]
    assert hit.headers == dict(through_django.items()), "every header, not only these"
    assert int(hit.headers["Content-Length"]) == len(hit.body)
    assert fragments.stable(hit.body) == fragments.stable(miss.body)


def test_conditional_requests_are_answered_before_django(story):
    app = production_app()
    etag = Answer(app, "/world/story/").headers["ETag"]
    not_modified = Answer(app, "/world/story/", HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status == 304 and not_modified.body == b""
    assert not_modified.headers["ETag"] == etag
    last_modified = Answer(app, "/world/story/").headers["Last-Modified"]
    # If-Modified-Since is answered as Django's conditional-GET middleware answers it.
    unchanged = Answer(app, "/world/story/", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert unchanged.status == 304
    # Preconditions of writes, on a GET: answered as Django answers them too.
    assert Answer(app, "/world/story/", HTTP_IF_MATCH='"other"').status == 412
    assert Answer(app, "/world/story/", HTTP_IF_UNMODIFIED_SINCE=last_modified).status == 200


def test_each_hit_before_django_gets_fresh_fragments(story):
    from django.utils.safestring import mark_safe
    from wagtail import hooks

    count = {"value": 0}

    def aside(context):
        return fragments.render("probe", context["request"])

    def probe(request):
        count["value"] += 1
        return mark_safe(f"<p>view {count['value']}</p>")  # noqa: S308

    with (
        hooks.register_temporarily("newsdesk_slot_article_aside", aside),
        hooks.register_temporarily("newsdesk_fragment_probe", probe),
    ):
        app = production_app()
        first = Answer(app, "/world/story/")
        second = Answer(app, "/world/story/")
    assert second.headers["X-Cache"] == "HIT"
    assert b"<p>view 1</p>" in first.body and b"<p>view 2</p>" in second.body
    assert second.headers["ETag"] != first.headers["ETag"]


@pytest.fixture
def cache_reads(monkeypatch):
    """Every read of the shared cache, by method, and (against Redis) every command sent."""
    from django.core.cache import caches
    from redis.connection import AbstractConnection

    backend = caches["default"]
    reads = {"calls": [], "redis commands": 0, "depth": 0}
    for name in ("get", "get_many", "has_key"):
        method = getattr(backend, name)

        def counted(*args, _name=name, _method=method, **kwargs):
            if not reads["depth"]:  # the in-process get_many calls get for each key
                reads["calls"].append(_name)
            reads["depth"] += 1
            try:
                return _method(*args, **kwargs)
            finally:
                reads["depth"] -= 1

        monkeypatch.setattr(backend, name, counted)
    send = AbstractConnection.send_packed_command

    def sent(self, command, *args, **kwargs):
        reads["redis commands"] += 1
        return send(self, command, *args, **kwargs)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", sent)
    return reads


def test_a_hit_reads_the_shared_cache_once(story, cache_reads):
    """The page's tag generations and what its fragments show (Trending, related stories, the
    breaking-news banner) come in one read: one Redis round trip per hit."""
    app = production_app()
    Answer(app, "/world/story/")
    assert Answer(app, "/world/story/").headers["X-Cache"] == "HIT"  # fragments' caches filled
    page = Answer(app, "/world/story/").body.decode()
    assert all(f"<!--fragment:{name}" in page for name in ("trending", "related", "breaking"))
    cache_reads["calls"].clear()
    cache_reads["redis commands"] = 0
    answer = Answer(app, "/world/story/")
    assert answer.headers["X-Cache"] == "HIT"
    assert cache_reads["calls"] == ["get_many"]
    if "Redis" in type(caches_default()).__name__:
        assert cache_reads["redis commands"] == 1


def test_a_fragment_declaring_its_keys_is_answered_from_the_hit_s_read(story, cache_reads):
    from django.core.cache import cache
    from django.utils.html import format_html
    from wagtail import hooks

    def aside(context):
        return fragments.render("probe", context["request"])

    @fragments.reads(lambda: ["probe:headline"])
    def probe(request):
        return format_html("<p>{}</p>", fragments.cache_get(request, "probe:headline", "none"))

    with (
        hooks.register_temporarily("newsdesk_slot_article_aside", aside),
        hooks.register_temporarily("newsdesk_fragment_probe", probe),
    ):
        app = production_app()
        assert b"<p>none</p>" in Answer(app, "/world/story/").body
        cache.set("probe:headline", "Fresh")
        Answer(app, "/world/story/")  # fills the other fragments' caches
        cache_reads["calls"].clear()
        answer = Answer(app, "/world/story/")
    assert answer.headers["X-Cache"] == "HIT"
    assert b"<p>Fresh</p>" in answer.body
    assert cache_reads["calls"] == ["get_many"]


def caches_default():
    from django.core.cache import caches

    return caches["default"]


def test_personal_requests_and_writes_go_to_django(story):
    app = production_app()
    Answer(app, "/world/story/")
    assert Answer(app, "/world/story/").headers["X-Cache"] == "HIT"
    wrote = Answer(app, "/world/story/", HTTP_COOKIE="newsdesk_wrote=1")
    assert "X-Cache" not in wrote.headers
    assert "private" in wrote.headers["Cache-Control"]
    assert Answer(app, "/world/story/", HTTP_COOKIE="theme=dark").headers["X-Cache"] == "HIT"


def test_the_https_redirect_comes_before_a_hit(story):
    Answer(production_app(), "/world/story/")  # stored for plain http
    with override_settings(SECURE_SSL_REDIRECT=True):
        redirected = Answer(production_app(), "/world/story/")
    assert redirected.status == 301
    assert redirected.headers["Location"] == "https://testserver/world/story/"
