"""Bylines as the newsroom writes them: several authors, staff with accounts or outside
contributors without, each with a page of their own (bio, photo, links)."""

import pytest
from django.urls import reverse

from newsdesk.core.testing import soup, text
from newsdesk.news.factories import AuthorFactory
from newsdesk.news.models import ArticlePage

from .newsroom import article_form, live_article

pytestmark = pytest.mark.django_db


def test_several_authors_staff_and_outside_contributors(client, editor, world, picture):
    staff = AuthorFactory(name="Ada Lane", slug="ada-lane", user=editor)
    outside = AuthorFactory(name="Ben Okri", slug="ben-okri", user=None)
    third = AuthorFactory(name="Cy Twombly", slug="cy-twombly", user=None)
    client.force_login(editor)
    client.post(
        reverse("wagtailadmin_pages:add", args=["news", "articlepage", world.pk]),
        article_form(
            title="Three bylines",
            slug="three-bylines",
            authors=[staff, outside, third],
            image=picture,
            alt="Boats",
            action="publish",
        ),
    )
    client.logout()
    article = ArticlePage.objects.get(slug="three-bylines")
    byline = soup(client.get(article.url).content).select_one(".article-header .byline")
    assert text(byline) == "By Ada Lane, Ben Okri and Cy Twombly"
    assert [a["href"] for a in byline.select("a[rel=author]")] == [
        "/authors/ada-lane/",
        "/authors/ben-okri/",
        "/authors/cy-twombly/",
    ]
    two = live_article(world, editor, title="Two bylines", authors=[staff, outside])
    assert text(soup(client.get(two.url).content).select_one(".byline")) == (
        "By Ada Lane and Ben Okri"
    )


def test_an_author_page_shows_bio_photo_and_links(client, world, picture):
    author = AuthorFactory(
        name="Ben Okri",
        slug="ben-okri",
        bio="Ben writes about ports.",
        photo=picture,
        links=[{"type": "link", "value": {"label": "Website", "url": "https://example.com/ben"}}],
    )
    live_article(world, None, title="Ports at night", authors=[author])
    page = soup(client.get("/authors/ben-okri/").content)
    assert text(page.h1) == "Ben Okri"
    assert "Ben writes about ports." in text(page.select_one(".author-profile"))
    assert page.select_one(".author-profile img") is not None
    link = page.select_one(".author-links a")
    assert (text(link), link["href"], link["rel"]) == (
        "Website",
        "https://example.com/ben",
        ["me", "noopener"],
    )
    assert "Ports at night" in [text(a) for a in page.select(".story-list h2 a")]
