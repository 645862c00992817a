"""The search page and what the app adds to other pages: valid HTML, accessible, usable without
JavaScript, and the search action search engines read."""

import json

import pytest

from newsdesk.core import testing
from newsdesk.core.testing import soup, text, validate_html

SEED = "/world/biden-considers-allowing-ukraine-to-use-long-range-missiles-against-russia/"


@pytest.mark.django_db
def test_pages_are_valid_html(client, newsroom):
    pages = {
        "search-bare": "/search/",
        "search-results": "/search/?q=missiles&sort=newest&section=world",
        "search-none": "/search/?q=zebra",
        "search-bad-filters": "/search/?q=storm&date_from=soon&section=nowhere",
        "search-punctuation": "/search/?q=%22%2A%22",
        "article-with-related": newsroom["missiles"].url,
        "home": "/",
    }
    documents = {}
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        documents[name] = response.content.decode()
    assert validate_html(documents) == []
    assert soup(documents["article-with-related"]).select(".related li")


@pytest.mark.django_db
def test_header_search_box_on_every_page(client, newsroom):
    for path in ["/", "/world/", newsroom["missiles"].url, "/search/?q=storm"]:
        page = soup(client.get(path).content)
        form = page.select_one("header form[role=search]")
        assert form["action"] == "/search/" and form["method"] == "get", path
        field = form.select_one("input[name=q]")
        label = page.select_one(f'label[for="{field["id"]}"]')
        assert text(label) == "Search the site"


@pytest.mark.django_db
def test_home_search_action_points_at_the_search_page(client, newsroom):
    page = soup(client.get("/").content)
    data = [json.loads(s.string) for s in page.select('script[type="application/ld+json"]')]
    website = next(d for d in data if d.get("@type") == "WebSite")
    template = website["potentialAction"]["target"]["urlTemplate"]
    assert template.endswith("/search/?q={search_term_string}")
    path = template.split("127.0.0.1:8000", 1)[-1].replace("{search_term_string}", "ATACMS")
    results = soup(client.get(path).content)
    assert [text(a) for a in results.select(".search-result h2 a")] == [
        "Ukraine may fire long-range missiles into Russia"
    ]


@pytest.mark.browser
def test_search_without_javascript_and_accessible(demo_site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_site.url + SEED)
    assert page.locator(".related li").count() >= 3
    page.get_by_label("Search the site").fill("Storm Shadow")
    page.get_by_label("Search the site").press("Enter")
    page.wait_for_url("**/search/?q=Storm+Shadow")
    assert page.locator(".search-result h2 a").first.inner_text().startswith("Biden Considers")
    assert page.locator(".search-result mark").count() >= 1
    context.close()
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    for path in ["/search/?q=missiles", "/search/?q=zebra", "/search/", SEED]:
        page.goto(demo_site.url + path)
        assert testing.axe_violations(page) == [], path
    testing.screenshot(page, "search-results")
    context.close()
