"""Corrections and updates: appended by editors without republishing, shown on the article and on
/corrections/, removals recorded, cached pages refreshed."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageLogEntry

from newsdesk.core.testing import soup, text
from newsdesk.news.models import ArticlePage, Correction

from .newsroom import live_article

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def story(world, editor, reporter):
    with time_machine.travel(PUBLISHED, tick=False):
        return live_article(world, editor, title="Harbour reopens", authors=[reporter])


def add(client, article, kind, text_, moment):
    with time_machine.travel(moment, tick=False):
        return client.post(
            reverse("editorial_correction_add"),
            {"article": article.pk, "kind": kind, "text": text_},
        )


def corrections_on(html) -> list[str]:
    return [text(item) for item in soup(html).select(".corrections li")]


def test_an_editor_appends_a_correction_without_republishing_the_body(client, editor, story):
    revisions_before = story.revisions.count()
    live_revision = ArticlePage.objects.get(pk=story.pk).live_revision_id
    client.force_login(editor)
    moment = PUBLISHED + timedelta(days=1)
    response = add(client, story, "correction", "The harbour is 300 years old, not 200.", moment)
    assert response.status_code == 302
    article = ArticlePage.objects.get(pk=story.pk)
    assert article.revisions.count() == revisions_before
    assert article.live_revision_id == live_revision
    assert article.updated_at == moment
    assert article.published_at == PUBLISHED
    correction = Correction.objects.get(article=article)
    assert (correction.kind, correction.created_by, correction.created_at) == (
        "correction",
        editor,
        moment,
    )
    entry = PageLogEntry.objects.filter(page=article, action="newsdesk.correction.add").get()
    assert entry.user == editor


def test_the_article_shows_corrections_and_updates_oldest_first_and_its_updated_date(
    client, editor, story
):
    client.get(story.url)  # a reader caches the page first
    client.force_login(editor)
    add(client, story, "correction", "The harbour is 300 years old.", PUBLISHED + timedelta(1))
    add(client, story, "update", "The ferry resumed on Tuesday.", PUBLISHED + timedelta(2))
    client.logout()
    response = client.get(story.url)
    assert response["X-Cache"] == "MISS"  # purged by the correction
    assert corrections_on(response.content) == [
        "Correction, 3 March 2026: The harbour is 300 years old.",
        "Update, 4 March 2026: The ferry resumed on Tuesday.",
    ]
    dateline = soup(response.content).select(".dateline time")
    assert [t["datetime"] for t in dateline] == [
        "2026-03-02T09:00:00+0000",
        "2026-03-04T09:00:00+0000",
    ]


def test_removal_is_recorded_and_hides_the_correction(client, editor, story):
    correction = Correction.objects.create(article=story, text="A wrong figure.")
    client.get(story.url)
    client.force_login(editor)
    form = client.get(reverse("editorial_correction_remove", args=[correction.pk]))
    assert form.status_code == 200
    missing_reason = client.post(
        reverse("editorial_correction_remove", args=[correction.pk]), {"reason": ""}
    )
    assert missing_reason.status_code == 200
    assert (
        soup(missing_reason.content).select_one("#id_reason").find_parent("div", class_="w-field")
    )
    correction.refresh_from_db()
    assert correction.removed_at is None

    client.post(
        reverse("editorial_correction_remove", args=[correction.pk]),
        {"reason": "It duplicated the second correction."},
    )
    correction.refresh_from_db()
    assert correction.removed_by == editor
    assert correction.removal_reason == "It duplicated the second correction."
    assert correction.removed_at is not None
    assert Correction.objects.filter(pk=correction.pk).exists()  # never deleted
    listing = text(soup(client.get(reverse("editorial_corrections")).content).select_one("main"))
    assert "Removed" in listing and "It duplicated the second correction." in listing
    client.logout()
    assert corrections_on(client.get(story.url).content) == []
    assert PageLogEntry.objects.filter(page=story, action="newsdesk.correction.remove").exists()


def test_a_contributor_can_neither_add_nor_remove(client, contributor, story):
    correction = Correction.objects.create(article=story, text="A wrong figure.")
    client.force_login(contributor)
    add(client, story, "correction", "Sneaky.", PUBLISHED + timedelta(1))
    client.post(reverse("editorial_correction_remove", args=[correction.pk]), {"reason": "x"})
    correction.refresh_from_db()
    assert correction.removed_at is None
    assert Correction.objects.filter(article=story).count() == 1


def test_bad_input_is_refused_with_the_text_kept(client, editor, world, reporter):
    draft = ArticlePage.objects.get(
        pk=live_article(world, editor, title="Gone", authors=[reporter]).pk
    )
    draft.unpublish()
    client.force_login(editor)
    response = client.post(
        reverse("editorial_correction_add"),
        {"article": draft.pk, "kind": "correction", "text": "Typed with care."},
    )
    assert response.status_code == 200
    page = soup(response.content)
    assert "not published" in text(page.select_one("main"))
    assert text(page.select_one("textarea[name=text]")) == "Typed with care."
    empty = client.post(reverse("editorial_correction_add"), {"kind": "update", "text": ""})
    assert empty.status_code == 200
    assert not Correction.objects.exists()


def test_the_add_form_starts_from_the_article_and_the_article_offers_it(client, editor, story):
    client.force_login(editor)
    form = soup(client.get(reverse("editorial_correction_add"), {"article": story.pk}).content)
    assert form.select_one("input[name=article]")["value"] == str(story.pk)
    edit_page = soup(client.get(reverse("wagtailadmin_pages:edit", args=[story.pk])).content)
    links = [a["href"] for a in edit_page.select("a[href]")]
    assert f"{reverse('editorial_correction_add')}?article={story.pk}" in links


# --- The public page -------------------------------------------------------------------------


def test_corrections_page_lists_newest_first_with_links(client, editor, world, reporter):
    first = live_article(world, editor, title="Harbour reopens", authors=[reporter])
    second = live_article(world, editor, title="Ferry returns", authors=[reporter])
    client.force_login(editor)
    add(client, first, "correction", "Older correction.", PUBLISHED)
    add(client, second, "update", "Newer update.", PUBLISHED + timedelta(hours=1))
    hidden = Correction.objects.create(
        article=first, text="Removed one.", created_at=PUBLISHED + timedelta(hours=2)
    )
    hidden.removed_at = PUBLISHED + timedelta(hours=3)
    hidden.save()
    client.logout()
    response = client.get("/corrections/")
    assert response.status_code == 200
    page = soup(response.content)
    assert text(page.h1) == "Corrections and updates"
    items = page.select(".correction-item")
    assert [text(item.h2) for item in items] == ["Ferry returns", "Harbour reopens"]
    assert [text(item.select("p")[-1]) for item in items] == ["Newer update.", "Older correction."]
    correction = Correction.objects.get(text="Newer update.")
    assert items[0].h2.a["href"] == f"{second.url}#correction-{correction.pk}"
    assert client.get("/corrections/")["X-Cache"] == "HIT"


def test_corrections_page_is_refreshed_by_a_new_correction(client, editor, story):
    client.get("/corrections/")
    client.force_login(editor)
    add(client, story, "update", "Ferries run again.", PUBLISHED + timedelta(days=1))
    client.logout()
    response = client.get("/corrections/")
    assert response["X-Cache"] == "MISS"
    assert [text(p) for p in soup(response.content).select(".correction-item p")][-1] == (
        "Ferries run again."
    )


def test_corrections_page_paginates_without_counting_everything(
    client, story, settings, django_assert_max_num_queries
):
    settings.NEWSDESK_PAGE_SIZE = 2
    for number in range(5):
        Correction.objects.create(
            article=story, text=f"Correction {number}", created_at=PUBLISHED + timedelta(number)
        )
    with CaptureQueriesContext(connection) as queries:
        first = soup(client.get("/corrections/").content)
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    assert [text(item.select("p")[-1]) for item in first.select(".correction-item")] == [
        "Correction 4",
        "Correction 3",
    ]
    assert first.select_one('a[rel="next"]')["href"] == "?page=2"
    last = soup(client.get("/corrections/?page=3").content)
    assert [text(item.select("p")[-1]) for item in last.select(".correction-item")] == [
        "Correction 0"
    ]
    assert last.select_one('a[rel="next"]') is None
    assert client.get("/corrections/?page=9").status_code == 404
    assert client.get("/corrections/?page=abc").status_code == 404


def test_corrections_page_query_count_does_not_grow_with_the_list(client, story, world, reporter):
    def queries_for_page():
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get("/corrections/")
        return len(queries.captured_queries)

    Correction.objects.create(article=story, text="One.")
    few = queries_for_page()
    for number in range(10):
        other = live_article(world, None, title=f"Story {number}", authors=[reporter])
        Correction.objects.create(article=other, text=f"Another {number}.")
    assert queries_for_page() == few
