"""The beacon endpoint: what counts, what does not, and bad input answered with a quick 4xx."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from newsdesk.news.factories import ArticlePageFactory
from newsdesk.readership import clock
from newsdesk.readership.models import DailySalt, SeenView

from .conftest import BROWSER, send, stored_views

pytestmark = pytest.mark.django_db


def test_a_view_is_counted_once_per_visitor_and_article(client, story):
    first = send(client, story.pk)
    assert first.status_code == 204
    assert first["X-Readership"] == "counted"
    assert first["Cache-Control"] == "no-store"
    assert not first.cookies, "the beacon sets no cookie"
    assert send(client, story.pk)["X-Readership"] == "duplicate"
    # Another visitor: another address, or the same address with another browser.
    assert send(client, story.pk, ip="192.0.2.2")["X-Readership"] == "counted"
    assert send(client, story.pk, agent=BROWSER + " Edg/131.0")["X-Readership"] == "counted"
    assert stored_views() == {story.pk: 3}


def test_replaying_the_beacon_a_thousand_times_moves_the_count_by_one_per_30_minutes(
    client, story, settings
):
    settings.NEWSDESK_READERSHIP_RATE_LIMIT = 10_000
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    outcomes = []
    for minute in (0, 10, 29):
        token = clock.simulated_now.set(start + timedelta(minutes=minute))
        try:
            outcomes += [send(client, story.pk)["X-Readership"] for _ in range(400)]
        finally:
            clock.simulated_now.reset(token)
    assert outcomes.count("counted") == 1
    assert outcomes.count("duplicate") == 1199
    assert stored_views() == {story.pk: 1}
    # Past the 30-minute window the same visitor counts again, once.
    token = clock.simulated_now.set(start + timedelta(minutes=31))
    try:
        later = [send(client, story.pk)["X-Readership"] for _ in range(100)]
    finally:
        clock.simulated_now.reset(token)
    assert later.count("counted") == 1
    assert stored_views() == {story.pk: 2}


def test_a_flood_of_fake_visitors_from_one_address_is_bounded_by_the_rate_limit(
    client, story, settings
):
    settings.NEWSDESK_READERSHIP_RATE_LIMIT = 25
    answers = [send(client, story.pk, agent=f"{BROWSER} fake/{n}") for n in range(200)]
    statuses = [a.status_code for a in answers]
    assert statuses.count(204) == 25
    assert statuses.count(429) == 175
    assert all(a["Retry-After"] == "60" for a in answers if a.status_code == 429)
    assert stored_views() == {story.pk: 25}
    # Other readers are not affected.
    assert send(client, story.pk, ip="198.51.100.7").status_code == 204


@pytest.mark.parametrize(
    ("agent", "headers"),
    [
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", {}),
        ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", {}),
        ("python-requests/2.32.3", {}),
        ("curl/8.5.0", {}),
        ("", {}),
        (BROWSER, {"HTTP_SEC_PURPOSE": "prefetch"}),
        (BROWSER, {"HTTP_SEC_PURPOSE": "prefetch;prerender"}),
        (BROWSER, {"HTTP_PURPOSE": "prefetch"}),
        (BROWSER, {"HTTP_X_MOZ": "prefetch"}),
    ],
)
def test_bots_prefetch_and_prerender_are_not_counted(client, story, agent, headers):
    response = send(client, story.pk, agent=agent, **headers)
    assert response.status_code == 204
    assert response["X-Readership"] in {"bot", "prefetch"}
    assert stored_views() == {}


def test_signed_in_newsroom_users_are_not_counted(client, story, admin_user):
    client.force_login(admin_user)
    response = send(client, story.pk)
    assert response["X-Readership"] == "signed-in"
    client.logout()
    assert send(client, story.pk)["X-Readership"] == "counted"
    assert stored_views() == {story.pk: 1}


def test_unknown_unpublished_and_non_article_ids_are_refused(client, story, section):
    draft = ArticlePageFactory(parent=section, live=False, slug="draft")
    assert send(client, 987654321).status_code == 404
    assert send(client, draft.pk).status_code == 404
    assert send(client, section.pk).status_code == 404
    assert send(client, story.pk).status_code == 204
    story.unpublish()
    response = send(client, story.pk, ip="192.0.2.99")
    assert response.status_code == 404
    assert response["X-Readership"] == "unknown-article"
    assert stored_views() == {story.pk: 1}


@pytest.mark.parametrize(
    ("method", "body", "status"),
    [
        ("post", "", 411),  # the test client sends no length for an empty body
        ("post", "article=", 400),
        ("post", "article=abc", 400),
        ("post", "article=-4", 400),
        ("post", "article=1&article=2", 400),
        ("post", '{"article": 1}', 400),
        ("post", "article=1234567890123", 400),
        ("post", "article=\x00\xff", 400),
        ("post", "article=1" + " " * 300, 413),
        ("post", "x" * 10_000, 413),
        ("get", None, 405),
        ("put", "article=1", 405),
        ("delete", None, 405),
    ],
)
def test_bad_input_gets_a_quick_4xx_and_is_not_logged(client, story, method, body, status, caplog):
    kwargs = {"content_type": "application/x-www-form-urlencoded"} if body is not None else {}
    response = getattr(client, method)("/readership/view", body or "", **kwargs)
    assert response.status_code == status
    if status == 405:
        assert response["Allow"] == "POST"
    assert not [r for r in caplog.records if r.levelname in {"WARNING", "ERROR"}]
    assert stored_views() == {}


def test_beacons_from_other_sites_are_refused(client, story):
    assert send(client, story.pk, HTTP_ORIGIN="https://elsewhere.example").status_code == 403
    assert send(client, story.pk, HTTP_SEC_FETCH_SITE="cross-site").status_code == 403
    assert send(client, story.pk, HTTP_ORIGIN="null").status_code == 403
    ok = send(client, story.pk, HTTP_ORIGIN="http://testserver", HTTP_SEC_FETCH_SITE="same-origin")
    assert ok["X-Readership"] == "counted"


def test_no_address_or_user_agent_is_stored_and_the_salt_dies_with_its_day(client, story, settings):
    address, agent = "203.0.113.77", BROWSER + " unique-agent-string"
    send(client, story.pk, ip=address, agent=agent)
    stored_views()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if not table.startswith("readership_"):
                continue
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - our own table names
            dump = repr(cursor.fetchall())
            assert address not in dump and "unique-agent-string" not in dump, table
    if "DatabaseStore" in settings.READERSHIP_STORES["default"]["BACKEND"]:
        assert SeenView.objects.count() == 1
        today = clock.utc_day(clock.now())
        assert list(DailySalt.objects.values_list("day", flat=True)) == [today]
        from newsdesk.readership.maintenance import prune

        prune(now=clock.now() + timedelta(days=1))
        assert not DailySalt.objects.filter(day=today).exists()
        assert SeenView.objects.count() == 0


def test_forwarded_for_is_trusted_only_from_our_proxies(client, story, settings):
    settings.NEWSDESK_FORWARDED_ALLOW_IPS = ["10.0.0.1"]
    via_proxy = {"HTTP_X_FORWARDED_FOR": "198.51.100.1, 10.0.0.1"}
    assert send(client, story.pk, ip="10.0.0.1", **via_proxy)["X-Readership"] == "counted"
    other = {"HTTP_X_FORWARDED_FOR": "198.51.100.2"}
    assert send(client, story.pk, ip="10.0.0.1", **other)["X-Readership"] == "counted"
    # A reader forging the header is still known by their own address.
    forged = {"HTTP_X_FORWARDED_FOR": "198.51.100.3"}
    assert send(client, story.pk, ip="192.0.2.50", **forged)["X-Readership"] == "counted"
    forged = {"HTTP_X_FORWARDED_FOR": "198.51.100.4"}
    assert send(client, story.pk, ip="192.0.2.50", **forged)["X-Readership"] == "duplicate"


def test_headless_browsers_are_automation_not_readers(client, story):
    headless = BROWSER.replace("Chrome/", "HeadlessChrome/")
    assert send(client, story.pk, agent=headless)["X-Readership"] == "bot"
