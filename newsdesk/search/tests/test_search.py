"""The search page on the database backend in use (SQLite FTS5, or PostgreSQL under services)."""

import pytest
from django.db import connection

from newsdesk.core.testing import soup, text
from newsdesk.search import engine
from newsdesk.search.query import parse

from .conftest import article

pytestmark = pytest.mark.django_db


def titles(client, query: str, **params) -> list[str]:
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return [text(a) for a in soup(response.content).select(".search-result h2 a")]


def test_backend_is_the_engine_of_the_database():
    from wagtail.search.backends import get_search_backend

    backend = type(get_search_backend()).__mro__[1].__name__
    expected = {"sqlite": "SQLiteSearchBackend", "postgresql": "PostgresSearchBackend"}
    assert backend == expected[connection.vendor]


def test_finds_by_headline_standfirst_and_body(client, newsroom):
    assert titles(client, "reopens") == ["Harbour reopens after storm"]
    assert titles(client, "ATACMS") == ["Ukraine may fire long-range missiles into Russia"]
    assert titles(client, "Storm Shadow")[0] == "Ukraine may fire long-range missiles into Russia"


def test_headline_match_ranks_above_body_match(client, newsroom):
    # "storm" is in the harbour headline and in the missiles story's body only.
    assert titles(client, "storm")[0] == "Harbour reopens after storm"
    # "Washington": the missiles story's standfirst, the budget story's body (and it is newer).
    assert titles(client, "Washington")[0] == "Ukraine may fire long-range missiles into Russia"


def test_stemming_missile_finds_missiles(client, newsroom):
    found = titles(client, "missile")
    assert "Ukraine may fire long-range missiles into Russia" in found
    assert "Harbour reopens after storm" in found


def test_quoted_phrase_needs_words_together(client, newsroom):
    assert titles(client, '"Storm Shadow"') == ["Ukraine may fire long-range missiles into Russia"]
    assert titles(client, '"Shadow Storm"') == []


def test_recency_breaks_ties(client, world):
    old = article(world, "Flood warning for the valley", days_old=400)
    new = article(world, "Flood warning for the valley", slug="flood-again", days_old=1)
    hits = engine.run(parse("flood warning"), engine.Filters())
    assert [h.article.pk for h in hits.hits] == [new.pk, old.pk]


def test_filters_by_section_and_dates(client, newsroom):
    assert titles(client, "Washington", section="politics") == ["Chancellor sets out the budget"]
    assert titles(client, "Washington", section="world") == [
        "Ukraine may fire long-range missiles into Russia"
    ]
    newest = newsroom["budget"].published_at.date()
    assert titles(client, "Washington", date_from=newest.isoformat()) == [
        "Chancellor sets out the budget"
    ]
    assert titles(client, "Washington", date_to=newest.replace(day=newest.day).isoformat())


def test_bad_dates_are_explained_not_fatal(client, newsroom):
    response = client.get(
        "/search/", {"q": "storm", "date_from": "yesterday", "date_to": "2020-13-45"}
    )
    assert response.status_code == 200
    page = soup(response.content)
    assert page.select(".field-error")
    assert page.select(".search-result")  # the query still ran, without the bad filters
    response = client.get(
        "/search/", {"q": "storm", "date_from": "2024-05-02", "date_to": "2024-05-01"}
    )
    assert "The end date is before the start date." in response.content.decode()


def test_sort_newest(client, newsroom):
    assert titles(client, "Washington", sort="newest") == [
        "Chancellor sets out the budget",
        "Ukraine may fire long-range missiles into Russia",
    ]


def test_snippet_highlights_and_escapes(client, world):
    article(world, "Tom & Jerry <script> review", "A <b>bold</b> missile test.")
    response = client.get("/search/", {"q": "missile"})
    html = response.content.decode()
    page = soup(html)
    snippet = page.select_one(".search-result__snippet")
    assert [m.text for m in snippet.select("mark")] == ["missile"]
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<script> review" not in html


def test_query_echoed_safely(client, newsroom):
    evil = '"><script>alert(1)</script>'
    html = client.get("/search/", {"q": evil}).content.decode()
    assert "<script>alert(1)" not in html
    assert soup(html).select_one("#search-q")["value"] == evil


def test_result_count_and_pagination(client, world):
    for n in range(25):
        article(world, f"Council meeting number {n}", slug=f"council-{n}", days_old=n)
    page = soup(client.get("/search/", {"q": "council"}).content)
    assert text(page.select_one(".search-count")).startswith("25 stories found")
    assert len(page.select(".search-result")) == 20
    more = page.select_one('.pagination a[rel="next"]')["href"]
    second = soup(client.get(more).content)
    assert len(second.select(".search-result")) == 5
    assert second.select_one(".search-results")["start"] == "21"
    newest = soup(client.get("/search/", {"q": "council", "sort": "newest", "page": 2}).content)
    assert len(newest.select(".search-result")) == 5


def test_count_is_capped_not_counted(client, world, monkeypatch):
    monkeypatch.setattr(engine, "COUNT_CAP", 5)
    monkeypatch.setattr(engine, "CANDIDATES", 4)
    for n in range(8):
        article(world, f"Rail strike day {n}", slug=f"rail-{n}")
    page = soup(client.get("/search/", {"q": "rail strike"}).content)
    assert text(page.select_one(".search-count")).startswith("More than 5 stories")


def test_no_results_suggests_sections(client, newsroom):
    page = soup(client.get("/search/", {"q": "zebra"}).content)
    assert "No stories match “zebra”" in text(page.select_one(".search-empty"))
    links = [a["href"] for a in page.select(".search-sections a")]
    assert links == ["/world/", "/politics/"]


def test_unpublished_and_scheduled_never_found(client, world):
    from datetime import timedelta

    from django.utils import timezone

    draft = article(world, "Secret volcano draft", live=False)
    draft.save_revision()
    scheduled = article(world, "Secret volcano scheduled", live=False)
    scheduled.go_live_at = timezone.now() + timedelta(hours=1)
    scheduled.save_revision(approved_go_live_at=scheduled.go_live_at)
    assert titles(client, "volcano") == []


def test_search_pages_not_kept_per_query(client, newsroom):
    response = client.get("/search/", {"q": "storm"})
    assert "no-cache" in response["Cache-Control"]
    assert client.get("/search/", {"q": "storm"}).get("X-Cache") is None
    bare = client.get("/search/")
    assert bare["Cache-Control"].startswith("public")


def test_query_count_does_not_grow_with_results_shown(client, world):
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        client.get("/search/", {"q": "tunnel"})  # the small shared caches warm
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/search/", {"q": "tunnel"}).status_code == 200
        return len(captured.captured_queries)

    for n in range(2):
        article(world, f"Tunnel works {n}", slug=f"tunnel-{n}", days_old=n)
    few = queries()
    for n in range(2, 20):
        article(world, f"Tunnel works {n}", slug=f"tunnel-{n}", days_old=n)
    assert len(soup(client.get("/search/", {"q": "tunnel"}).content).select(".search-result")) == 20
    assert queries() == few  # comment counts, bylines: one query each for the whole page
