"""Every public page type of the demo site: valid HTML (W3C Nu checker), no 500s."""

import pytest

from newsdesk.core.testing import soup, validate_html

SEED = "/world/biden-considers-allowing-ukraine-to-use-long-range-missiles-against-russia/"


@pytest.fixture(scope="module")
def public_pages(demo_site):
    """Path → HTML of one page of each public type, found by following the demo's links."""
    pages = {}
    for path in ["/", "/world/", "/world/?page=2", SEED, "/no-such-page/"]:
        status, _, html = demo_site.get(path)
        assert status == (404 if path == "/no-such-page/" else 200), path
        pages[path] = html
    article = soup(pages[SEED])
    author_path = article.select_one(".byline a")["href"]
    tag_path = article.select_one(".tag-list a")["href"]
    with_image = soup(pages["/"]).select_one(".story-card img").find_parent("article").h3.a["href"]
    for path in [author_path, tag_path, with_image, "/science/", "/opinion/"]:
        status, _, html = demo_site.get(path)
        assert status == 200, path
        pages[path] = html
    return pages


def test_every_page_type_is_valid_html(public_pages):
    assert validate_html(public_pages) == []


def test_each_page_has_one_h1_landmarks_and_a_skip_link(public_pages):
    for path, html in public_pages.items():
        page = soup(html)
        assert len(page.find_all("h1")) == 1, path
        assert page.find("main", id="main"), path
        assert page.select_one('a.skip-link[href="#main"]'), path
        assert page.find("header") and page.find("footer"), path
        assert page.html["lang"], path
