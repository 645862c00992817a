"""Bad input in the admin's real create and edit views: a clear error on the field, nothing typed
lost, nothing published. And the address of a published article survives a slug change."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from newsdesk.core.testing import soup, text
from newsdesk.editorial.models import EditorialSettings
from newsdesk.news.models import ArticlePage

from .newsroom import article_form, live_article, make_image

pytestmark = pytest.mark.django_db

STANDFIRST = "Typed carefully by the reporter, and not to be lost."


def add_url(section):
    return reverse("wagtailadmin_pages:add", args=["news", "articlepage", section.pk])


def errors_of(response) -> dict[str, list[str]]:
    """The form's field errors (the admin draws them beside each field), once the page has said
    that it was not saved."""
    assert response.status_code == 200, response.get("Location")
    notices = [text(n) for n in soup(response.content).select(".messages .error")]
    assert any("could not be" in notice for notice in notices), notices
    return {name: list(messages) for name, messages in response.context["form"].errors.items()}


def kept(response, title: str) -> None:
    """What the writer typed is back in the form."""
    page = soup(response.content)
    assert page.select_one("input[name=title]")["value"] == title
    assert text(page.select_one("textarea[name=standfirst]")) == STANDFIRST


def test_slug_clash_within_a_section(client, editor, world, politics, reporter, picture):
    live_article(world, editor, title="Harbour reopens", slug="harbour-reopens")
    client.force_login(editor)
    data = article_form(
        title="Harbour reopens again",
        slug="harbour-reopens",
        authors=[reporter],
        standfirst=STANDFIRST,
        image=picture,
        alt="Boats",
        action="publish",
    )
    response = client.post(add_url(world), data)
    assert "The slug 'harbour-reopens' is already in use" in errors_of(response)["slug"][0]
    kept(response, "Harbour reopens again")
    assert ArticlePage.objects.filter(slug="harbour-reopens").count() == 1
    # Another section may use the same slug: slugs are unique within a section.
    assert client.post(add_url(politics), data).status_code == 302


def test_the_slug_is_made_from_the_headline(client, editor, world, reporter, picture):
    client.force_login(editor)
    response = client.post(
        add_url(world),
        article_form(
            title="Ferries return to the harbour",
            slug="",
            authors=[reporter],
            image=picture,
            alt="Boats",
            action="publish",
        ),
    )
    assert response.status_code == 302
    assert ArticlePage.objects.get(title="Ferries return to the harbour").slug == (
        "ferries-return-to-the-harbour"
    )


def test_a_missing_section_is_a_form_error(client, editor, home):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:choose_parent", args=["news", "articlepage"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"parent_page": ""})
    assert response.status_code == 200
    assert "This field is required." in response.context["form"].errors["parent_page"]
    response = client.post(url, {"parent_page": home.pk})
    assert response.status_code == 200
    assert "You cannot create a page of type" in response.context["form"].errors["parent_page"][0]


def test_scheduling_in_the_past(client, editor, world, reporter, picture):
    client.force_login(editor)
    response = client.post(
        add_url(world),
        article_form(
            title="Yesterday's news",
            slug="yesterdays-news",
            authors=[reporter],
            standfirst=STANDFIRST,
            image=picture,
            alt="Boats",
            go_live_at=timezone.now() - timedelta(hours=3),
            action="publish",
        ),
    )
    assert "This time is already past" in errors_of(response)["go_live_at"][0]
    kept(response, "Yesterday's news")
    assert not ArticlePage.objects.filter(slug="yesterdays-news").exists()


def test_a_past_go_live_time_left_untouched_does_not_block_later_edits(
    client, editor, world, reporter, picture
):
    article = live_article(world, editor, title="Went live on schedule", featured_image=picture)
    ArticlePage.objects.filter(pk=article.pk).update(go_live_at=timezone.now() - timedelta(days=1))
    article.refresh_from_db()
    article.save_revision(user=editor)
    client.force_login(editor)
    data = article_form(
        title="Went live on schedule, updated",
        slug=article.slug,
        authors=[reporter],
        article=article,
        image=picture,
        alt="Boats",
        go_live_at=article.go_live_at,
        action="publish",
    )
    assert client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data).status_code == (
        302
    )


def test_a_missing_alt_text(client, editor, world, reporter):
    undescribed = make_image("No description")
    undescribed.description = ""
    undescribed.save()
    client.force_login(editor)
    response = client.post(
        add_url(world),
        article_form(
            title="Pictured but undescribed",
            slug="pictured",
            authors=[reporter],
            standfirst=STANDFIRST,
            image=undescribed,
            alt="",
            action="publish",
        ),
    )
    assert errors_of(response)["featured_image_alt"] == [
        "The featured image needs alt text for screen readers."
    ]
    kept(response, "Pictured but undescribed")


def test_an_over_long_headline(client, editor, world, reporter, picture):
    headline = "Harbour " * 40
    client.force_login(editor)
    response = client.post(
        add_url(world),
        article_form(
            title=headline.strip(),
            slug="long",
            authors=[reporter],
            standfirst=STANDFIRST,
            image=picture,
            alt="Boats",
            action="publish",
        ),
    )
    assert "at most 255 characters" in errors_of(response)["title"][0]
    kept(response, headline.strip())


def test_featured_image_required_for_publishing_not_for_drafts(
    client, editor, contributor, world, reporter
):
    client.force_login(editor)
    data = article_form(
        title="No picture yet", slug="no-picture", authors=[reporter], standfirst=STANDFIRST
    )
    assert client.post(add_url(world), data).status_code == 302  # a draft may wait for one
    article = ArticlePage.objects.get(slug="no-picture")
    edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    for user, action in [(editor, "publish"), (contributor, "submit")]:
        article.owner = user
        article.save()
        client.force_login(user)
        response = client.post(
            edit_url,
            article_form(
                title="No picture yet",
                slug="no-picture",
                authors=[reporter],
                article=article,
                standfirst=STANDFIRST,
                action=action,
            ),
        )
        assert "Choose a featured image" in errors_of(response)["featured_image"][0]
        kept(response, "No picture yet")
    article.refresh_from_db()
    assert not article.live and not article.workflow_in_progress

    setting = EditorialSettings.load()
    setting.require_featured_image = False
    setting.save()
    client.force_login(editor)
    data = article_form(
        title="No picture yet",
        slug="no-picture",
        authors=[reporter],
        article=article,
        action="publish",
    )
    assert client.post(edit_url, data).status_code == 302
    article.refresh_from_db()
    assert article.live


def test_caption_and_credit_are_shown_with_responsive_webp_renditions(client, world, picture):
    article = live_article(world, None, title="Pictured", featured_image=picture)
    article.featured_image_caption = "The harbour at dawn."
    article.save_revision().publish()
    figure = soup(client.get(article.url).content).select_one("figure.featured-image")
    assert text(figure.figcaption) == "The harbour at dawn. Photo: Newsdesk"
    image = figure.img
    assert image["alt"] == "Boats in a harbour at dawn"
    sources = [part.split()[0] for part in image["srcset"].split(",")]
    assert len(sources) == 3 and all(source.endswith(".webp") for source in sources)


# --- URLs never break -----------------------------------------------------------------------


def test_a_slug_change_keeps_the_old_address_with_a_301(client, editor, world, reporter, picture):
    article = live_article(world, editor, title="Harbour reopens", slug="harbour-reopens")
    old_url = article.url
    assert client.get(old_url)["X-Cache"] == "MISS"
    assert client.get(old_url)["X-Cache"] == "HIT"
    client.force_login(editor)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        article_form(
            title="Harbour reopens to ferries",
            slug="harbour-reopens-to-ferries",
            authors=[reporter],
            article=article,
            image=picture,
            alt="Boats",
            action="publish",
        ),
    )
    client.logout()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"].endswith("/world/harbour-reopens-to-ferries/")
    assert client.get("/world/harbour-reopens-to-ferries/").status_code == 200
