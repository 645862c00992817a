"""The mobile page: the whole article in one light document, and the way between versions."""

import base64
import hashlib
import re

import pytest

from newsdesk.core.testing import soup, text, validate_html
from newsdesk.mobile import styles

from .conftest import DESKTOP, GALAXY_TAB, IPAD, IPHONE, PIXEL

pytestmark = pytest.mark.django_db


def get(client, path, agent=DESKTOP, **headers):
    return client.get(path, headers={"User-Agent": agent, **headers})


def test_mobile_page_has_the_whole_article(client, story):
    response = get(client, "/m/world/harbour/", IPHONE)
    assert response.status_code == 200
    page = soup(response.content)
    article = page.select_one("article")
    assert text(article.select_one(".section-label")) == "World"
    assert article.select_one(".section-label a")["href"] == "/world/"
    assert text(article.h1) == "Harbour reopens after the storm"
    assert text(article.select_one(".standfirst")) == "Boats are back in the water."
    assert text(article.select_one(".byline")) == "By Ada Lane"
    assert article.select_one(".dateline time")["datetime"]
    body = article.select_one(".article-body")
    assert [text(h) for h in body.select("h2")] == ["What happened"]
    assert [text(li) for li in body.select("ul li")] == ["Boats", "Nets"]
    assert [text(li) for li in body.select("ol li")] == ["First", "Second"]
    assert text(body.select_one("blockquote")) == "We are back."
    assert "A captain" in text(body.select_one(".quotation figcaption"))
    assert "The last paragraph." in text(body)
    assert [text(a) for a in article.select(".tag-list a")] == ["Weather"]
    # The Trending list (the readership app's slot) comes with it.
    assert page.select_one("aside .trending li a")
    footer = page.select_one("footer.site-footer")
    exit_link = footer.find("a", string="Exit mobile version")
    assert exit_link["href"] == "/m/exit/?next=/world/harbour/"


def test_images_have_sizes_srcset_and_lazy_loading_below_the_fold(client, story):
    page = soup(get(client, "/m/world/harbour/", IPHONE).content)
    lead = page.select_one(".featured-image img")
    inline = page.select_one(".article-body .article-image img")
    for image in (lead, inline):
        assert image["width"] and image["height"] and image["alt"]
        assert len(image["srcset"].split(",")) >= 2
    assert lead.get("loading") != "lazy"  # above the fold: wanted at once
    assert lead["fetchpriority"] == "high"
    assert inline["loading"] == "lazy"
    assert "Nets on the quay" in text(page.select_one(".article-image figcaption"))


def test_one_document_with_its_inline_css_allowed_by_hash(client, story):
    response = get(client, "/m/world/harbour/", IPHONE)
    html = response.content.decode()
    page = soup(html)
    assert not page.select('link[rel="stylesheet"]')
    assert [s.get("src") for s in page.select("script[src]")] == [
        "/static/readership/beacon.js"  # the view beacon, async: not needed to read
    ]
    assert all(s.get("type") == "application/ld+json" for s in page.select("script:not([src])"))
    [style] = page.select("style")
    css = style.string
    assert len(css.encode()) <= styles.MAX_BYTES
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    policy = response["Content-Security-Policy"]
    style_src = re.search(r"style-src ([^;]*)", policy).group(1)
    assert f"'sha256-{digest}'" in style_src.split()
    assert "unsafe-inline" not in policy
    assert not page.select("[style]")  # the hash allows the element, not style attributes


def test_css_file_is_within_budget():
    assert styles.load().size <= styles.MAX_BYTES


def test_search_engine_annotations(client, story):
    mobile = soup(get(client, "/m/world/harbour/", IPHONE).content)
    canonical = mobile.select('link[rel="canonical"]')
    assert [link["href"] for link in canonical] == ["http://127.0.0.1:8000/world/harbour/"]
    assert not mobile.select('link[rel="alternate"][media]')

    full = soup(get(client, "/world/harbour/").content)
    [alternate] = full.select('link[rel="alternate"][media]')
    assert alternate["media"] == "only screen and (max-width: 640px)"
    assert alternate["href"] == "http://127.0.0.1:8000/m/world/harbour/"


@pytest.mark.parametrize("agent", [IPHONE, PIXEL])
def test_phones_are_sent_to_the_mobile_version(client, story, agent):
    response = get(client, "/world/harbour/?utm_source=x", agent)
    assert response.status_code == 302
    assert response["Location"] == "/m/world/harbour/?utm_source=x"
    assert {"User-Agent", "Sec-CH-UA-Mobile", "Cookie"} <= {
        v.strip() for v in response["Vary"].split(",")
    }


@pytest.mark.parametrize("agent", [DESKTOP, IPAD, GALAXY_TAB])
def test_tablets_and_desktops_get_the_full_site_without_a_mobile_link(client, story, agent):
    response = get(client, "/world/harbour/", agent)
    assert response.status_code == 200
    assert not soup(response.content).find("a", string="Mobile version")


def test_a_phone_in_desktop_mode_gets_the_full_site(client, story):
    assert get(client, "/world/harbour/", PIXEL, **{"Sec-CH-UA-Mobile": "?0"}).status_code == 200


def test_fronts_stay_responsive_for_phones(client, story):
    for path in ["/", "/world/", "/authors/ada-lane/", "/tags/weather/"]:
        assert get(client, path, IPHONE).status_code == 200, path


def test_exit_remembers_the_choice_and_mobile_version_link_forgets_it(client, story):
    response = get(client, "/m/exit/?next=/world/harbour/", IPHONE)
    assert response.status_code == 302 and response["Location"] == "/world/harbour/"
    cookie = response.cookies["newsdesk_full"]
    assert cookie.value == "1" and cookie["max-age"] >= 30 * 24 * 3600
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]

    full = get(client, "/world/harbour/", IPHONE)
    assert full.status_code == 200
    link = soup(full.content).find("a", string="Mobile version")
    assert link["href"] == "/m/enter/?next=/m/world/harbour/"

    back = get(client, link["href"], IPHONE)
    assert back.status_code == 302 and back["Location"] == "/m/world/harbour/"
    assert back.cookies["newsdesk_full"].value == ""
    assert get(client, "/world/harbour/", IPHONE).status_code == 302


def test_switch_never_leads_off_site(client, story):
    for target in ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]:
        response = get(client, f"/m/exit/?next={target}", IPHONE)
        assert response["Location"] == "/"


def test_unknown_and_unpublished_articles_are_404(client, story):
    assert get(client, "/m/world/nothing/", IPHONE).status_code == 404
    story.unpublish()
    assert get(client, "/m/world/harbour/", IPHONE).status_code == 404


def test_a_renamed_story_keeps_its_mobile_address(client, story):
    from wagtail.contrib.redirects.models import Redirect

    story.slug = "harbour-reopens"
    story.save_revision().publish()
    Redirect.add_redirect("/world/harbour/", story)  # what the admin's rename creates
    response = get(client, "/m/world/harbour/", IPHONE)
    assert response.status_code == 302 and response["Location"] == "/world/harbour/"
    renamed = get(client, response["Location"], IPHONE)
    assert renamed["Location"] == "/world/harbour-reopens/"
    assert get(client, renamed["Location"], IPHONE)["Location"] == "/m/world/harbour-reopens/"


def test_mobile_and_full_pages_are_valid_html(client, story):
    get(client, "/m/exit/?next=/", IPHONE)
    documents = {
        "mobile": get(client, "/m/world/harbour/", IPHONE).content.decode(),
        "full-for-phone": get(client, "/world/harbour/", IPHONE).content.decode(),
    }
    assert validate_html(documents) == []


def test_other_apps_fill_the_slots_but_their_stylesheets_stay_out(client, story):
    """Comments, banners and whatever apps add through the slots appear on the mobile page as
    on the full one; an app's external stylesheet does not (the page stays one request)."""
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe
    from wagtail import hooks

    fills = {
        "newsdesk_slot_head": lambda context: mark_safe(
            '<link rel="stylesheet" href="/static/app.css"><meta name="app" content="1">'
        ),
        "newsdesk_slot_banner": lambda context: mark_safe(
            '<aside class="breaking-news" aria-label="Breaking news"><p>Alert</p></aside>'
        ),
        "newsdesk_slot_article_end": lambda context: format_html(
            '<section class="slot-probe"><h2>Probe</h2><p>{}</p></section>',
            context["page"].title,
        ),
    }
    with (
        hooks.register_temporarily("newsdesk_slot_head", fills["newsdesk_slot_head"]),
        hooks.register_temporarily("newsdesk_slot_banner", fills["newsdesk_slot_banner"]),
        hooks.register_temporarily("newsdesk_slot_article_end", fills["newsdesk_slot_article_end"]),
    ):
        mobile = soup(get(client, "/m/world/harbour/", IPHONE).content)
        full = soup(get(client, "/world/harbour/").content)
    assert text(mobile.select_one("article .slot-probe p")) == "Harbour reopens after the storm"
    assert mobile.select_one(".breaking-news") and mobile.select_one('meta[name="app"]')
    assert not mobile.select('link[rel="stylesheet"]')
    assert full.select_one('link[href="/static/app.css"]')


def test_mobile_page_reads_the_database_a_fixed_number_of_times(client, section):
    """Like the full article's budget (delivery/tests/test_query_budget.py): however many
    bylines, tags and corrections, uncached, with the small shared caches warm."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from newsdesk.news.factories import ArticlePageFactory, AuthorFactory
    from newsdesk.news.models import Correction

    counts = []
    for size in (1, 6):
        story = ArticlePageFactory(
            parent=section,
            slug=f"story-{size}",
            authors=[AuthorFactory(name=f"Writer {size}-{n}") for n in range(size)],
            tags=[f"topic-{size}-{n}" for n in range(size)],
        )
        for n in range(size):
            Correction.objects.create(article=story, text=f"Correction {n}")
        path = f"/m/world/story-{size}/"
        client.get(path, HTTP_COOKIE="newsdesk_wrote=1")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path, HTTP_COOKIE="newsdesk_wrote=1").status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1] <= 6, counts  # 6: the full article's budget, comments included
