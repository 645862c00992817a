"""Search-engine and social metadata on every public page type, read back with extruct (the
structured-data extractor) rather than matched as text."""

import json

import extruct
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsdesk.core.testing import soup
from newsdesk.news.factories import AuthorFactory
from newsdesk.news.models import Correction
from newsdesk.syndication import metadata
from newsdesk.syndication.models import SyndicationSettings

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8000"
ARTICLE = "/world/harbour-reopens/"


def extract(client, path: str, status: int = 200) -> dict:
    response = client.get(path)
    assert response.status_code == status, path
    html = response.content.decode()
    data = extruct.extract(html, base_url=BASE + path, syntaxes=["json-ld", "opengraph"])
    page = soup(html)
    properties = {}
    for item in data["opengraph"]:
        for name, value in item["properties"]:
            properties.setdefault(name, []).append(value)
    twitter = {meta["name"]: meta["content"] for meta in page.select('meta[name^="twitter:"]')}
    canonical = page.select('link[rel="canonical"]')
    return {
        "json_ld": {item["@type"]: item for item in data["json-ld"]},
        "og": properties,
        "twitter": twitter,
        "canonical": [link["href"] for link in canonical],
        "description": [m["content"] for m in page.select('meta[name="description"]')],
        "robots": [m["content"] for m in page.select('meta[name="robots"]')],
        "feeds": {link["href"] for link in page.select('link[rel="alternate"]')},
        "page": page,
    }


def check_social(found: dict, og_type: str) -> None:
    """What every indexable page carries: canonical, description, Open Graph, Twitter."""
    assert len(found["canonical"]) == 1 and found["canonical"][0].startswith(BASE)
    assert len(found["description"]) == 1 and found["description"][0]
    og = found["og"]
    for name in ["og:title", "og:description", "og:url", "og:site_name", "og:locale"]:
        assert og[name][0], name
    assert og["og:type"] == [og_type]
    assert og["og:url"] == found["canonical"]
    assert og["og:image"][0].startswith(BASE)
    assert int(og["og:image:width"][0]) >= 200 and int(og["og:image:height"][0]) >= 200
    assert og["og:image:alt"][0]
    twitter = found["twitter"]
    assert twitter["twitter:card"] in {"summary", "summary_large_image"}
    assert twitter["twitter:title"] == og["og:title"][0]
    assert twitter["twitter:image"] == og["og:image"][0]
    assert twitter["twitter:image:alt"]


def test_article_has_open_graph_twitter_and_canonical(client, newsroom):
    found = extract(client, ARTICLE + "?utm_source=x&fbclid=y")
    check_social(found, "article")
    lead = newsroom["lead"]
    assert found["canonical"] == [BASE + ARTICLE]
    assert found["description"] == [lead.standfirst]
    og = found["og"]
    assert og["article:published_time"] == [lead.published_at.isoformat()]
    assert og["article:modified_time"] == [lead.updated_at.isoformat()]
    assert og["article:section"] == ["World"]
    assert og["article:tag"] == ["Storms", "Trade"]
    assert og["article:author"] == [f"{BASE}/authors/ada-lane/", f"{BASE}/authors/bo-chen/"]
    assert (og["og:image:width"], og["og:image:height"]) == (["1200"], ["675"])
    assert og["og:image:alt"] == ["Boats in a harbour at dawn."]
    assert found["twitter"]["twitter:card"] == "summary_large_image"
    assert found["feeds"] >= {"/feed/", "/feed/atom/", "/feed/json/", "/world/feed/"}


def test_article_json_ld_has_every_required_and_recommended_property(client, newsroom):
    found = extract(client, ARTICLE)
    article = found["json_ld"]["NewsArticle"]
    lead = newsroom["lead"]
    assert article["@context"] == "https://schema.org"
    assert article["headline"] == "Harbour reopens after storm"
    assert article["description"] == lead.standfirst
    assert article["datePublished"] == lead.published_at.isoformat()
    assert article["dateModified"] == lead.updated_at.isoformat()
    assert article["mainEntityOfPage"] == {"@type": "WebPage", "@id": BASE + ARTICLE}
    assert article["articleSection"] == "World"
    assert article["keywords"] == ["Storms", "Trade"]
    assert article["isAccessibleForFree"] is True
    assert article["author"] == [
        {
            "@type": "Person",
            "name": "Ada Lane",
            "url": f"{BASE}/authors/ada-lane/",
            "jobTitle": "World editor",
        },
        {
            "@type": "Person",
            "name": "Bo Chen",
            "url": f"{BASE}/authors/bo-chen/",
            "jobTitle": "Reporter",
        },
    ]
    publisher = article["publisher"]
    assert publisher["@type"] == "NewsMediaOrganization" and publisher["name"] == "Newsdesk"
    logo = publisher["logo"]
    assert logo["url"].endswith("/static/syndication/logo.png")
    assert (logo["width"], logo["height"]) == (512, 512)
    ratios = {round(image["width"] / image["height"], 2) for image in article["image"]}
    assert ratios == {1.78, 1.33, 1.0}  # 16:9, 4:3 and 1:1, as Google asks
    assert all(image["width"] * image["height"] >= 50_000 for image in article["image"])
    assert article["correction"] == [
        {
            "@type": "CorrectionComment",
            "name": "Correction",
            "text": "An earlier version misnamed the harbour.",
            "datePublished": Correction.objects.get().created_at.isoformat(),
            "url": f"{BASE}{ARTICLE}#correction-{Correction.objects.get().pk}",
        }
    ]
    crumbs = found["json_ld"]["BreadcrumbList"]["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Newsdesk", f"{BASE}/"),
        (2, "World", f"{BASE}/world/"),
        (3, "Harbour reopens after storm", BASE + ARTICLE),
    ]


def test_the_logo_and_share_card_files_have_the_sizes_announced():
    from PIL import Image

    from newsdesk.syndication import images

    root = metadata.__file__.rsplit("/", 1)[0] + "/static/"
    for path, width, height in [images.BUILTIN_LOGO, images.BUILTIN_SHARE]:
        with Image.open(root + path) as picture:
            assert picture.size == (width, height)


def test_long_headlines_are_cut_to_110_characters_at_a_word(client, newsroom):
    lead = newsroom["lead"]
    lead.title = "Harbour " * 20 + "reopens"
    lead.save_revision().publish()
    headline = extract(client, ARTICLE)["json_ld"]["NewsArticle"]["headline"]
    assert len(headline) <= 110
    assert headline.endswith("Harbour…")


def test_a_headline_cannot_break_out_of_the_json_ld(client, newsroom):
    lead = newsroom["lead"]
    attack = 'Rates rise</script><script>alert("x")</script><!-- & more'
    lead.title = attack
    lead.save_revision().publish()
    found = extract(client, ARTICLE)
    assert found["json_ld"]["NewsArticle"]["headline"] == attack
    # Inline scripts only (other apps add script files with src=): just the two JSON-LD blocks.
    scripts = [s for s in found["page"].find_all("script") if not s.get("src")]
    assert [s.get("type") for s in scripts] == ["application/ld+json"] * 2
    for script in scripts:
        json.loads(script.string)  # each block is whole, valid JSON


def test_articles_without_a_picture_use_the_share_card_and_no_image_list(client, newsroom):
    found = extract(client, "/world/archive-story/")
    check_social(found, "article")
    assert found["og"]["og:image"][0].endswith("/static/syndication/share.png")
    assert "image" not in found["json_ld"]["NewsArticle"]
    assert "correction" not in found["json_ld"]["NewsArticle"]


def test_home_has_a_website_with_a_search_action_and_a_list(client, newsroom):
    found = extract(client, "/")
    check_social(found, "website")
    assert found["canonical"] == [f"{BASE}/"]
    website = found["json_ld"]["WebSite"]
    action = website["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == f"{BASE}/search/?q={{search_term_string}}"
    assert action["query-input"] == "required name=search_term_string"
    assert found["json_ld"]["NewsMediaOrganization"]["logo"]["url"].startswith(BASE)
    listed = [item["url"] for item in found["json_ld"]["ItemList"]["itemListElement"]]
    assert listed[0] == BASE + ARTICLE


def test_section_front_has_a_list_breadcrumbs_and_paginated_canonical(client, newsroom):
    found = extract(client, "/world/")
    check_social(found, "website")
    assert found["canonical"] == [f"{BASE}/world/"]
    items = found["json_ld"]["ItemList"]["itemListElement"]
    assert [(i["position"], i["url"]) for i in items] == [
        (1, BASE + ARTICLE),
        (2, f"{BASE}/world/archive-story/"),
    ]
    assert "/world/feed/" in found["feeds"]


def test_second_page_of_a_front_is_its_own_canonical(client, newsroom, settings):
    settings.NEWSDESK_PAGE_SIZE = 1
    found = extract(client, "/world/?page=2&utm_medium=social")
    assert found["canonical"] == [f"{BASE}/world/?page=2"]
    items = found["json_ld"]["ItemList"]["itemListElement"]
    assert [(i["position"], i["url"]) for i in items] == [(2, f"{BASE}/world/archive-story/")]


def test_author_page_is_a_profile(client, newsroom):
    found = extract(client, "/authors/ada-lane/")
    check_social(found, "profile")
    person = found["json_ld"]["ProfilePage"]["mainEntity"]
    assert person["name"] == "Ada Lane" and person["url"] == f"{BASE}/authors/ada-lane/"
    assert found["og"]["profile:first_name"] == ["Ada"]
    assert "/authors/ada-lane/feed/" in found["feeds"]
    assert found["json_ld"]["ItemList"]["itemListElement"][0]["url"] == BASE + ARTICLE


def test_tag_page_has_a_list_and_its_feed(client, newsroom):
    found = extract(client, "/tags/trade/")
    check_social(found, "website")
    assert found["canonical"] == [f"{BASE}/tags/trade/"]
    assert len(found["json_ld"]["ItemList"]["itemListElement"]) == 2
    assert "/tags/trade/feed/" in found["feeds"]


def test_not_found_is_kept_out_of_the_index(client, newsroom):
    found = extract(client, "/world/no-such-story/", status=404)
    assert found["robots"] == ["noindex"]
    assert found["canonical"] == [] and found["og"] == {} and found["json_ld"] == {}


def test_editors_choose_the_logo_share_picture_and_twitter_account(client, newsroom):
    config = SyndicationSettings.load()
    config.logo = config.share_image = newsroom["lead"].featured_image
    config.twitter_site = "@newsdesk"
    config.save()
    found = extract(client, "/")
    assert found["twitter"]["twitter:site"] == "@newsdesk"
    assert "fill-1200x630" in found["og"]["og:image"][0]
    logo = found["json_ld"]["NewsMediaOrganization"]["logo"]
    assert "max-512x512" in logo["url"] and logo["width"] <= 512


def test_the_article_page_keeps_a_fixed_number_of_queries(client, newsroom):
    """Whatever the number of bylines, tags and corrections: the head slot loads them once on
    the page object and the article template reads the same rows."""

    def queries(path: str) -> tuple[int, str]:
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200
        return len(captured), response.content.decode()

    queries(ARTICLE)  # renditions made on the first view
    few, _html = queries(ARTICLE)
    lead = newsroom["lead"]
    for number in range(4):
        Correction.objects.create(article=lead, text=f"Correction {number}.")
        lead.bylines.create(author=AuthorFactory(name=f"Writer {number}"), sort_order=number + 2)
    lead.tags.add("More", "Even more", "Still more")
    lead.save()
    many, html = queries(ARTICLE)
    assert many == few
    page = soup(html)
    assert "Writer 3" in page.select_one(".byline").get_text()
    assert len(page.select(".corrections li")) == 5
    assert "Still more" in page.select_one(".tag-list").get_text()
    found = extract(client, ARTICLE)
    assert len(found["json_ld"]["NewsArticle"]["author"]) == 6


def test_a_preview_shows_the_revisions_unsaved_bylines(newsroom, rf):
    from newsdesk.syndication.wagtail_hooks import head_metadata

    lead = newsroom["lead"]
    lead.bylines.add(lead.bylines.model(author=AuthorFactory(name="Draft Writer"), sort_order=9))
    revision = lead.save_revision()
    preview = revision.as_object()
    html = head_metadata({"page": preview, "request": rf.get(ARTICLE)})
    assert "Draft Writer" in html
