"""PostgreSQL's search table (``newsdesk.search.documents``): kept in step with publishing, and
the bounded candidate set — the newest matches, by the date walk or the GIN indexes — is exactly
the newest matching stories readers may see. The walk sizes are made tiny so that a handful of
stories exercises both ways."""

import io

import pytest
from django.core.cache import cache
from wagtail.search.query import PlainText

from newsdesk.core.testing import soup, text
from newsdesk.search import documents, engine
from newsdesk.search.backends import ranked_articles
from newsdesk.search.models import Document

from .conftest import article

pytestmark = [pytest.mark.django_db, pytest.mark.services]


@pytest.fixture(autouse=True)
def postgres_only():
    from django.db import connection

    assert connection.vendor == "postgresql", "run under services (PostgreSQL)"


@pytest.fixture
def tiny_walks(monkeypatch):
    monkeypatch.setattr(documents, "FIRST_WALK_ROWS", 2)
    monkeypatch.setattr(documents, "WALK_ROWS", 5)
    monkeypatch.setattr(documents, "NEWEST_MATCHES", 2)
    cache.delete(documents.BOUNDARY_KEY)
    yield
    cache.delete(documents.BOUNDARY_KEY)


def newest(query: str, limit: int, **filters) -> set[int]:
    found = ranked_articles(
        engine.searchable(engine.Filters(**filters), light=True), PlainText(query), limit
    )
    return {pk for pk, _, _ in found}


def test_rows_follow_publishing(world, politics):
    story = article(world, "Ferry timetable changes", "New times from Monday.", days_old=1)
    row = Document.objects.get(article_id=story.pk)
    assert row.published_at == story.published_at
    assert row.section_id == world.pk
    assert newest("ferry", 10) == {story.pk}

    story.title = "Tram timetable changes"
    story.save_revision().publish()
    assert newest("tram", 10) == {story.pk}
    assert newest("ferry", 10) == set()

    story.unpublish()
    assert newest("tram", 10) == set()  # the row stays; the article says it is not live

    story.delete()
    assert not Document.objects.filter(article_id=story.pk).exists()


def test_common_words_walk_rare_words_use_the_indexes(world, politics, tiny_walks):
    # Twelve harbour stories a day apart; "lighthouse" only in the three oldest.
    stories = [
        article(
            world,
            f"Harbour report {n}",
            paragraphs=["The lighthouse keeper retired."] if n >= 9 else ["Quiet day."],
            days_old=n,
            slug=f"harbour-{n}",
        )
        for n in range(12)
    ]
    by_age = [s.pk for s in stories]
    # Common: the first walk (2 newest) finds 2 of 3, the second walk the third.
    assert newest("harbour", 3) == set(by_age[:3])
    # Rare: none among the walked newest, so the older matches come from the GIN indexes.
    assert newest("lighthouse", 2) == set(by_age[9:11])
    assert newest("lighthouse", 10) == set(by_age[9:12])


def test_hidden_and_filtered_stories_never_fill_the_set(world, politics, tiny_walks):
    kept = [article(world, f"Harbour note {n}", days_old=n, slug=f"note-{n}") for n in range(6)]
    elsewhere = [
        article(politics, f"Harbour vote {n}", days_old=n, slug=f"vote-{n}") for n in range(6)
    ]
    kept[0].unpublish()
    assert newest("harbour", 3, section=world) == {s.pk for s in kept[1:4]}
    assert newest("harbour", 3, section=politics) == {s.pk for s in elsewhere[:3]}


def test_page_says_when_ranking_was_among_the_newest(client, world, monkeypatch, tiny_walks):
    monkeypatch.setattr(engine, "CANDIDATES", 3)
    monkeypatch.setattr(engine, "COUNT_CAP", 3)
    for n in range(6):
        article(world, f"Bridge repairs day {n}", slug=f"bridge-{n}", days_old=n)
    page = soup(client.get("/search/", {"q": "bridge repairs"}).content)
    assert text(page.select_one(".search-count")).startswith("More than 3 stories")
    assert "among the newest" in text(page.select_one(".search-notice--ranked"))
    assert len(page.select(".search-result")) == 3

    few = soup(client.get("/search/", {"q": "bridge day 5"}).content)
    assert few.select_one(".search-notice--ranked") is None


def test_fill_copies_missing_rows_in_date_order(world):
    stories = [article(world, f"Canal story {n}", days_old=n, slug=f"canal-{n}") for n in range(3)]
    Document.objects.filter(article_id__in=[s.pk for s in stories[:2]]).delete()
    out = io.StringIO()
    assert documents.fill(out, batch=2) == 2
    assert "Search documents: 3/3" in out.getvalue()
    assert newest("canal", 10) == {s.pk for s in stories}


def test_many_hidden_matches_are_looked_past(world, tiny_walks):
    # The GIN path checks a batch of its newest older matches first (12 here); when they are
    # all hidden, it asks of every older match instead.
    stories = [
        article(world, f"Granary report {n}", days_old=n, slug=f"granary-{n}") for n in range(16)
    ]
    for story in stories[:14]:
        story.unpublish()
    assert newest("granary", 2) == {stories[14].pk, stories[15].pk}
