"""Related stories under each article: by shared tags and similar words, never the article
itself or an unpublished story, refreshed when anything is published, without extra queries
per related story."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsdesk.core.testing import soup, text
from newsdesk.search import related

from .conftest import article

pytestmark = pytest.mark.django_db


def related_titles(client, story) -> list[str]:
    response = client.get(story.url)
    assert response.status_code == 200
    return [text(a) for a in soup(response.content).select(".related a")]


@pytest.fixture
def stories(world, politics):
    return {
        "seed": article(
            world,
            "Ukraine may fire long-range missiles into Russia",
            tags=["Ukraine", "Missiles"],
        ),
        "both_tags": article(
            world, "Kyiv asks allies for more air defence", tags=["Ukraine", "Missiles"], days_old=3
        ),
        "one_tag": article(
            politics, "Parliament debates Ukraine aid", tags=["Ukraine"], days_old=1
        ),
        "words": article(politics, "Russia warns over long-range missiles", days_old=20),
        "unrelated": article(world, "Harbour reopens after storm", tags=["Weather"]),
        "draft": article(world, "Ukraine missiles draft", tags=["Ukraine", "Missiles"], live=False),
    }


def test_related_by_tags_then_words_never_itself_or_unpublished(client, stories):
    found = related_titles(client, stories["seed"])
    assert found[0] == "Kyiv asks allies for more air defence"
    assert set(found) == {
        "Kyiv asks allies for more air defence",
        "Parliament debates Ukraine aid",
        "Russia warns over long-range missiles",
    }
    assert "Ukraine may fire long-range missiles into Russia" not in found
    assert "Ukraine missiles draft" not in found


def test_same_section_preferred(world, politics):
    seed = article(world, "Flooding closes the valley road", tags=["Floods"])
    elsewhere = article(politics, "Minister visits the flooded valley", tags=["Floods"])
    same = article(world, "Volunteers clear the flooded valley", tags=["Floods"])
    assert [s.pk for s in related.related(seed)][:2] == [same.pk, elsewhere.pk]


def test_at_most_four(world):
    seed = article(world, "Rail strike halts trains", tags=["Rail"])
    for n in range(8):
        article(world, f"Rail strike day {n}", slug=f"rail-{n}", tags=["Rail"])
    assert len(related.related(seed)) == 4


def test_refreshed_when_an_article_is_published_or_unpublished(client, stories):
    seed = stories["seed"]
    before = related_titles(client, seed)
    draft = stories["draft"]
    draft.save_revision().publish()
    assert "Ukraine missiles draft" in related_titles(client, seed)
    assert client.get(seed.url)["X-Cache"] == "HIT"  # the page came from the page cache
    draft.refresh_from_db()
    draft.unpublish()
    assert related_titles(client, seed) == before


def test_no_extra_queries_per_related_story(client, world):
    lonely = article(world, "Quiet day at the observatory")
    seed = article(world, "Comet seen over the city", tags=["Space"])
    for n in range(5):
        article(world, f"Comet photographs {n}", slug=f"comet-{n}", tags=["Space"])
    with CaptureQueriesContext(connection) as none_related:
        assert client.get(lonely.url).status_code == 200
    with CaptureQueriesContext(connection) as four_related:
        page = client.get(seed.url)
    assert len(soup(page.content).select(".related li")) == 4
    # Finding and loading related stories costs a fixed few queries, not one per story.
    assert len(four_related) - len(none_related) <= 4
    with CaptureQueriesContext(connection) as cached:
        client.get(seed.url, {"again": 1})
    assert len(cached) <= len(none_related)
