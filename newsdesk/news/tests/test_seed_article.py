"""The demo site serves the seed article (../shared/seeds) with every part, in the seed's order."""

import re

import pytest

from newsdesk.core.testing import SHARED, soup, text

SEED_PATH = "/world/biden-considers-allowing-ukraine-to-use-long-range-missiles-against-russia/"
SEED_FILE = SHARED / "seeds" / "000_49e61176c3a46121.txt"
FURNITURE = {"Leave a Reply", "Trending", "Exit mobile version"}


def seed_lines() -> list[str]:
    if not SEED_FILE.exists():
        pytest.fail(f"{SEED_FILE} is missing: the tests need ../shared beside the clone.")
    raw = SEED_FILE.read_text(encoding="utf-8")
    return [line.strip() for line in raw.splitlines() if line.strip()]


def seed_body_paragraphs() -> list[str]:
    """The scraped article text between the "Published on" date and the site furniture."""
    lines = seed_lines()
    start = lines.index("on") + 1
    end = min(lines.index(word) for word in FURNITURE if word in lines)
    # The scraper printed list items with a bullet character; the list itself is real markup.
    return [line.removeprefix("• ") for line in lines[start:end]]


@pytest.fixture(scope="module")
def seed_page(demo_site):
    status, _, html = demo_site.get(SEED_PATH)
    assert status == 200
    return soup(html)


def test_header_parts_in_seed_order(seed_page):
    lines = seed_lines()
    header = seed_page.select_one("article .article-header")
    parts = [
        header.select_one(".section-label"),
        header.select_one("h1"),
        header.select_one(".standfirst"),
        header.select_one(".byline"),
        header.select_one(".dateline"),
    ]
    assert all(parts), "every header part is present"
    # Document order: section label, headline, standfirst, byline, date, then the body.
    elements = list(header.find_all(True))
    positions = [elements.index(part) for part in parts]
    assert positions == sorted(positions)

    section, headline, standfirst, byline, dateline = parts
    assert text(section) == lines[0] == "World"
    assert section.a["href"] == "/world/"
    assert text(headline) == lines[1]
    assert text(standfirst) == lines[2]
    assert text(byline).startswith("By ")
    assert byline.a["href"].startswith("/authors/")
    assert text(dateline) == "Published on 12 September 2024"
    assert dateline.time["datetime"].startswith("2024-09-12")
    assert seed_page.select_one("h1") is headline
    assert seed_page.find("meta", attrs={"name": "description"})["content"] == lines[2]


def test_body_has_every_seed_paragraph_in_order(seed_page):
    body = seed_page.select_one(".article-body")
    rendered = []
    for element in body.find_all(["h2", "p", "li", "blockquote"], recursive=True):
        if element.name == "p" and element.find_parent(["li", "blockquote"]):
            continue
        rendered.append(text(element))
    # The seed quotes Biden inside a paragraph; we set the quote apart as a quotation block.
    joined = "\n".join(rendered)
    joined = joined.replace(
        "He responded,\nWe are working that out right now.",
        "He responded, “We are working that out right now.”",
    )
    assert joined.split("\n") == seed_body_paragraphs()


def test_body_structure(seed_page):
    body = seed_page.select_one(".article-body")
    subheading = body.find("h2")
    assert text(subheading) == (
        "Potential Shift in U.S. Policy on Ukraine’s Long-Range Missile Capabilities"
    )
    bullets = body.select("ul > li")
    assert len(bullets) == 2
    assert "“Storm Shadow”" in text(bullets[0])  # curly quotes preserved
    quotation = body.select_one("figure.quotation")
    assert text(quotation.blockquote) == "We are working that out right now."
    assert re.search(r"Biden", text(quotation.figcaption))
    # The subheading comes first, then paragraphs; the list sits between the 2nd and 3rd.
    order = [el.name for el in body.find_all(["h2", "p", "ul", "figure"], recursive=False)]
    assert order == ["h2", "p", "p", "ul", "p", "p", "p", "figure", "p"]


def test_furniture_is_not_article_text(seed_page):
    body_text = text(seed_page.select_one(".article-body"))
    for word in FURNITURE:
        assert word not in body_text
