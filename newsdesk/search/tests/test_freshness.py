"""Search results follow publishing at once: Wagtail re-indexes a page in the same request that
publishes, edits or unpublishes it, and readers only ever see live articles: the next search
after publishing shows the change."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from newsdesk.core.testing import soup, text

from .conftest import article

pytestmark = pytest.mark.django_db


def titles(client, query: str) -> list[str]:
    response = client.get("/search/", {"q": query})
    return [text(a) for a in soup(response.content).select(".search-result h2 a")]


def test_publish_edit_unpublish(client, world):
    story = article(
        world, "Glacier retreats faster than feared", "Scientists measure the loss.", live=False
    )
    story.save_revision()
    assert titles(client, "glacier") == []

    story.save_revision().publish()
    assert titles(client, "glacier") == ["Glacier retreats faster than feared"]

    story.refresh_from_db()
    story.title = "Ice sheet retreats faster than feared"
    story.save_revision().publish()
    assert titles(client, "glacier") == []
    assert titles(client, "ice sheet") == ["Ice sheet retreats faster than feared"]

    # A draft edit of a live story is not searchable until it is published.
    story.refresh_from_db()
    story.title = "Secret draft headline about penguins"
    story.save_revision()
    assert titles(client, "penguins") == []
    assert titles(client, "ice sheet") == ["Ice sheet retreats faster than feared"]

    story.refresh_from_db()
    story.unpublish()
    assert titles(client, "ice sheet") == []


def test_scheduled_article_appears_only_when_it_goes_live(client, world):
    story = article(world, "Eclipse expected next month", live=False)
    go_live = timezone.now() + timedelta(minutes=5)
    story.go_live_at = go_live
    story.save_revision(approved_go_live_at=go_live).publish()
    assert titles(client, "eclipse") == []
    with pytest.MonkeyPatch.context() as patch:
        later = go_live + timedelta(seconds=1)
        patch.setattr(timezone, "now", lambda: later)
        call_command("publish_scheduled", verbosity=0)
    assert titles(client, "eclipse") == ["Eclipse expected next month"]


def test_expired_article_disappears(client, world):
    story = article(world, "Festival tickets on sale")
    story.expire_at = timezone.now() - timedelta(seconds=1)
    story.save_revision().publish()
    call_command("publish_scheduled", verbosity=0)
    assert titles(client, "festival") == []


def test_deleted_article_disappears(client, world):
    story = article(world, "Bridge closed for repairs")
    assert titles(client, "bridge") == ["Bridge closed for repairs"]
    story.delete()
    assert titles(client, "bridge") == []
