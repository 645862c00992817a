"""Real Chromium with phone emulation: the full article address leads a phone to the mobile
version; "Exit mobile version" and "Mobile version" switch for good; desktops never see it."""

import re

import pytest

from newsdesk.core.testing import axe_violations, screenshot, soup, text, validate_html
from newsdesk.news.tests.test_seed_article import SEED_PATH, seed_body_paragraphs

from .conftest import DESKTOP, IPHONE

pytestmark = pytest.mark.browser

MOBILE_SEED = "/m" + SEED_PATH


def phone_context(browser, **extra):
    return browser.new_context(
        viewport={"width": 390, "height": 844},
        user_agent=IPHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=3,
        **extra,
    )


def body_paragraphs(page) -> list[str]:
    """The article body as the seed test reads it: headings, paragraphs, items, quotes."""
    body = soup(page.content()).select_one(".article-body")
    rendered = []
    for element in body.find_all(["h2", "p", "li", "blockquote"]):
        if element.name == "p" and element.find_parent(["li", "blockquote"]):
            continue
        rendered.append(text(element))
    return rendered


def test_phone_reader_flow(demo_site, browser):
    context = phone_context(browser)
    page = context.new_page()
    csp_errors = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security" in m.text else 0)

    # The full address sends the phone to the mobile version, with the whole article.
    page.goto(demo_site.url + SEED_PATH)
    assert page.url == demo_site.url + MOBILE_SEED
    assert page.locator(".section-label").inner_text().upper() == "WORLD"
    assert "Biden Considers" in page.locator("h1").inner_text()
    assert page.locator(".standfirst").inner_text().startswith("Explore President Biden")
    assert page.locator(".byline").inner_text().startswith("By ")
    assert page.locator(".dateline").inner_text() == "Published on 12 September 2024"
    rendered = body_paragraphs(page)
    for paragraph in seed_body_paragraphs():
        if "We are working that out right now" in paragraph:
            continue  # set apart as a quotation (see news/tests/test_seed_article.py)
        assert paragraph in rendered
    assert page.locator(".article-body ul li").count() == 2
    assert page.locator(".article-body blockquote").count() == 1
    assert page.locator(".trending li a").count() >= 3
    # The page is styled by its inline sheet, allowed by its hash (no CSP violation).
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
    assert csp_errors == []
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    screenshot(page, "mobile-version-seed-article-phone")

    # "Exit mobile version" → the full site, remembered for reloads and other articles.
    page.get_by_role("link", name="Exit mobile version").tap()
    page.wait_for_url(demo_site.url + SEED_PATH)
    assert page.locator('link[rel="stylesheet"]').count() >= 1  # the full site's own sheet
    assert page.get_by_role("link", name="Mobile version").is_visible()
    screenshot(page, "full-version-seed-article-phone")
    page.reload()
    assert page.url == demo_site.url + SEED_PATH
    others = [
        href
        for href in page.locator(".trending a").evaluate_all("els => els.map(a => a.pathname)")
        if href != SEED_PATH
    ]
    page.locator(f'.trending a[href$="{others[0]}"]').first.tap()
    page.wait_for_url(demo_site.url + others[0])  # not the mobile address: the choice held
    assert page.get_by_role("link", name="Mobile version").is_visible()

    # "Mobile version" → back to the mobile version, and the choice is forgotten.
    page.get_by_role("link", name="Mobile version").tap()
    page.wait_for_url(demo_site.url + "/m" + others[0])
    page.goto(demo_site.url + SEED_PATH)
    assert page.url == demo_site.url + MOBILE_SEED
    context.close()


def test_desktop_never_sees_the_mobile_version_unless_it_asks(demo_site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, user_agent=DESKTOP)
    page = context.new_page()
    page.goto(demo_site.url + SEED_PATH)
    assert page.url == demo_site.url + SEED_PATH
    assert page.get_by_role("link", name="Mobile version").count() == 0
    alternate = page.locator('link[rel="alternate"][media]').get_attribute("href")
    assert alternate.endswith(MOBILE_SEED)
    screenshot(page, "full-version-seed-article-desktop")
    for _ in range(2):
        link = page.locator(".trending a").first
        target = demo_site.url + link.evaluate("a => a.pathname")
        link.click()
        page.wait_for_url(target)
    # Asking for it (the address itself) shows it, and leaves the desktop on the full site.
    page.goto(demo_site.url + MOBILE_SEED)
    assert page.url == demo_site.url + MOBILE_SEED
    screenshot(page, "mobile-version-seed-article-desktop")
    page.goto(demo_site.url + SEED_PATH)
    assert page.url == demo_site.url + SEED_PATH
    context.close()


def test_mobile_page_is_valid_and_accessible(demo_site, browser):
    status, _, html = demo_site.get(MOBILE_SEED, headers={"User-Agent": IPHONE})
    assert status == 200
    assert validate_html({"mobile-seed": html}) == []
    context = phone_context(browser, bypass_csp=True)  # to inject axe-core
    page = context.new_page()
    page.goto(demo_site.url + MOBILE_SEED)
    assert axe_violations(page) == []
    context.close()


def test_seed_article_html_is_within_30_kb_without_comments(demo_site):
    """The issue's budget: the mobile seed article, uncompressed, comments excluded."""
    _, _, html = demo_site.get(MOBILE_SEED, headers={"User-Agent": IPHONE})
    comments = soup(html).select("#comments, .comments, [id^=comment]")
    size = len(html.encode()) - sum(len(str(c).encode()) for c in comments)
    print(f"mobile seed article: {len(html.encode())} bytes, {size} without comments")
    assert size <= 30 * 1024
    assert re.search(r"<style>[^<]+</style>", html)
