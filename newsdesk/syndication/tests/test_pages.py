"""The metadata in real pages: valid HTML (W3C checker) on every page type, nothing blocked by
the Content-Security-Policy in Chromium, social pictures that exist at the announced size."""

import io
import json
import urllib.request

import pytest
from PIL import Image

from newsdesk.core.testing import soup, validate_html

SEED = "/world/biden-considers-allowing-ukraine-to-use-long-range-missiles-against-russia/"


@pytest.mark.django_db
def test_every_page_type_with_metadata_is_valid_html(client, newsroom):
    lead = newsroom["lead"]
    lead.title = 'Rates rise</script><script>alert("x")</script> & "fall"'
    lead.save_revision().publish()
    pages = {}
    for path in [
        "/",
        "/world/",
        "/world/harbour-reopens/",
        "/world/archive-story/",
        "/authors/ada-lane/",
        "/tags/trade/",
        "/world/missing/",
    ]:
        pages[path] = client.get(path).content.decode()
    errors = validate_html(pages)
    assert errors == [], "\n".join(errors)


def test_demo_article_social_picture_exists_at_the_announced_size(demo_site):
    home = soup(demo_site.get("/")[2])
    with_image = home.select_one(".story-card img").find_parent("article").h3.a["href"]
    _status, _headers, html = demo_site.get(with_image)
    page = soup(html)
    image = page.select_one('meta[property="og:image"]')["content"]
    width = int(page.select_one('meta[property="og:image:width"]')["content"])
    height = int(page.select_one('meta[property="og:image:height"]')["content"])
    # Addresses are on the public base URL; fetch the same path from the test server.
    path = "/" + image.split("/", 3)[3]
    with urllib.request.urlopen(demo_site.url + path) as response:
        assert response.headers["Content-Type"] == "image/jpeg"
        picture = Image.open(io.BytesIO(response.read()))
    assert picture.size == (width, height) == (1200, 675)


@pytest.mark.browser
def test_json_ld_is_not_blocked_by_the_content_security_policy(demo_site, browser):
    context = browser.new_context()  # the site's own CSP enforced
    page = context.new_page()
    violations = []
    page.on("console", lambda message: violations.append(message.text))
    page.goto(demo_site.url + SEED)
    blocks = page.eval_on_selector_all(
        'script[type="application/ld+json"]', "nodes => nodes.map(n => n.textContent)"
    )
    types = [json.loads(block)["@type"] for block in blocks]
    assert types == ["NewsArticle", "BreadcrumbList"]
    assert not [text for text in violations if "Content Security Policy" in text]
    context.close()
