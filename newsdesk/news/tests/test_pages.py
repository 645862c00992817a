"""Home, section, author and tag fronts, and the article page, through the test client."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from newsdesk.core.testing import soup, text
from newsdesk.news.factories import ArticlePageFactory, AuthorFactory, SectionPageFactory

pytestmark = pytest.mark.django_db


def story_titles(html) -> list[str]:
    return [text(h) for h in soup(html).select(".story-list h2")]


@pytest.fixture
def world():
    return SectionPageFactory(title="World", slug="world")


def aged(days: float) -> dict:
    moment = timezone.now() - timedelta(days=days)
    return {"first_published_at": moment, "last_published_at": moment}


def test_article_page_shows_byline_of_several_authors_in_order(client, world):
    ada, ben, cy = (
        AuthorFactory(name="Ada Lane"),
        AuthorFactory(name="Ben Ode"),
        AuthorFactory(name="Cy Park"),
    )
    story = ArticlePageFactory(parent=world, title="Three hands", authors=[ada, ben, cy])
    page = soup(client.get(story.url).content)
    byline = page.select_one(".byline")
    assert text(byline) == "By Ada Lane, Ben Ode and Cy Park"
    assert [a["href"] for a in byline.select("a")] == [
        "/authors/ada-lane/",
        "/authors/ben-ode/",
        "/authors/cy-park/",
    ]


def test_article_page_body_blocks(client, world):
    story = ArticlePageFactory(
        parent=world,
        body=[
            {"type": "subheading", "value": "A heading"},
            {"type": "paragraph", "value": "<p>Text with <b>bold</b> &amp; more.</p>"},
            {"type": "numbered_list", "value": ["<p>One</p>", "<p>Two</p>"]},
            {"type": "bulleted_list", "value": ["<p>Dot</p>"]},
            {"type": "quotation", "value": {"text": "Said it.", "attribution": "Someone"}},
        ],
    )
    body = soup(client.get(story.url).content).select_one(".article-body")
    assert text(body.h2) == "A heading"
    assert body.find("b").text == "bold"
    assert [text(li) for li in body.select("ol > li")] == ["One", "Two"]
    assert [text(li) for li in body.select("ul > li")] == ["Dot"]
    assert text(body.select_one("figure blockquote")) == "Said it."
    assert text(body.select_one("figure figcaption")) == "— Someone"


def test_headline_and_standfirst_are_escaped(client, world):
    story = ArticlePageFactory(
        parent=world, title="<script>alert(1)</script> headline", standfirst="<b>not bold</b>"
    )
    html = client.get(story.url).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert soup(html).select_one(".standfirst b") is None


def test_section_front_lists_newest_first_and_paginates(client, world, settings):
    settings.NEWSDESK_PAGE_SIZE = 3
    for day in range(7):
        ArticlePageFactory(parent=world, title=f"Story from day {day}", **aged(day))
    other = SectionPageFactory(title="Business")
    ArticlePageFactory(parent=other, title="Elsewhere")

    first = client.get("/world/")
    assert story_titles(first.content) == [
        "Story from day 0",
        "Story from day 1",
        "Story from day 2",
    ]
    assert soup(first.content).select_one('a[rel="next"]')["href"] == "?page=2"
    assert soup(first.content).select_one('a[rel="prev"]') is None
    third = client.get("/world/?page=3")
    assert story_titles(third.content) == ["Story from day 6"]
    assert soup(third.content).select_one('a[rel="next"]') is None
    assert client.get("/world/?page=4").status_code == 404
    assert client.get("/world/?page=abc").status_code == 404
    assert client.get("/world/?page=0").status_code == 404


def test_section_front_uses_no_count_query(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ArticlePageFactory(parent=world)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/world/").status_code == 200
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]


def test_unpublished_and_private_stories_are_not_listed(client, world):
    ArticlePageFactory(parent=world, title="Public story")
    draft = ArticlePageFactory(parent=world, title="Draft story")
    draft.unpublish()
    assert story_titles(client.get("/world/").content) == ["Public story"]
    assert client.get(draft.url_path.replace("/home", "")).status_code == 404


def test_home_has_lead_story_and_latest_per_section(client, world):
    business = SectionPageFactory(title="Business")
    ArticlePageFactory(parent=world, title="Older world story", **aged(2))
    ArticlePageFactory(parent=business, title="Business story", **aged(1))
    ArticlePageFactory(parent=world, title="Newest story", **aged(0))
    page = soup(client.get("/").content)
    assert text(page.select_one(".lead-story h2")) == "Newest story"
    fronts = {
        text(block.h2): [text(h) for h in block.select("h3")]
        for block in page.select(".section-block")
    }
    assert fronts == {"World": ["Older world story"], "Business": ["Business story"]}
    assert [text(a) for a in page.select(".site-nav a")] == ["World", "Business"]


def test_home_leads_with_the_editors_choice(client, world, home):
    chosen = ArticlePageFactory(parent=world, title="Editors' pick", **aged(3))
    ArticlePageFactory(parent=world, title="Newer", **aged(0))
    home.lead_article = chosen
    home.save_revision().publish()
    page = soup(client.get("/").content)
    assert text(page.select_one(".lead-story h2")) == "Editors' pick"


def test_author_page(client, world):
    author = AuthorFactory(name="Dana Reed", role="Science editor", bio="Writes about space.")
    ArticlePageFactory(parent=world, title="By Dana", authors=[author])
    ArticlePageFactory(parent=world, title="Not by Dana")
    page = soup(client.get("/authors/dana-reed/").content)
    assert text(page.h1) == "Dana Reed"
    assert "Writes about space." in text(page.select_one(".author-profile"))
    assert story_titles(str(page)) == ["By Dana"]
    assert client.get("/authors/nobody/").status_code == 404


def test_tag_page(client, world):
    ArticlePageFactory(parent=world, title="Tagged story", tags=["Climate"])
    ArticlePageFactory(parent=world, title="Untagged story")
    response = client.get("/tags/climate/")
    assert story_titles(response.content) == ["Tagged story"]
    assert text(soup(response.content).h1) == "Climate"
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_unknown_address_gets_the_real_404_page(client, world):
    response = client.get("/world/no-such-story/")
    assert response.status_code == 404
    page = soup(response.content)
    assert text(page.h1) == "Page not found"
    assert page.select_one(".site-nav")  # the site's own page, not a bare error


@override_settings(DEBUG=False)
def test_reserved_section_slug_is_refused(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        SectionPageFactory(title="Feeds", slug="feed")
    assert "slug" in error.value.message_dict


def test_corrections_and_updates_show_oldest_first_and_removed_ones_do_not(client, world):
    from newsdesk.news.models import Correction

    story = ArticlePageFactory(parent=world)
    first = Correction.objects.create(
        article=story,
        kind="correction",
        text="An earlier version misspelt a name.",
        created_at=timezone.now() - timedelta(days=2),
    )
    Correction.objects.create(article=story, kind="update", text="Officials have since replied.")
    Correction.objects.create(
        article=story, text="Withdrawn.", removed_at=timezone.now(), removal_reason="duplicate"
    )
    items = [text(li) for li in soup(client.get(story.url).content).select(".corrections li")]
    assert items == [
        f"Correction, {first.created_at:%-d %B %Y}: An earlier version misspelt a name.",
        f"Update, {timezone.now():%-d %B %Y}: Officials have since replied.",
    ]
