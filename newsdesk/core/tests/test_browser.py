"""Real Chromium: readers click from home to section to article; axe finds no violations."""

import pytest

from newsdesk.core.testing import axe_violations, screenshot

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def page(browser):
    # bypass_csp lets the test inject axe-core; the site's own CSP is tested elsewhere.
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_home_to_section_to_article_by_clicking(demo_site, page):
    page.goto(demo_site.url + "/")
    assert axe_violations(page) == []
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="World").click()
    page.wait_for_url(demo_site.url + "/world/")
    assert page.locator("h1").inner_text() == "World"
    assert axe_violations(page) == []
    first_story = page.locator(".story-list h2 a").first
    headline = first_story.inner_text()
    first_story.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == headline
    assert page.locator(".section-label a").inner_text().upper() == "WORLD"
    assert axe_violations(page) == []


def test_lead_story_is_the_seed_article(demo_site, page):
    page.goto(demo_site.url + "/")
    page.locator(".lead-story h2 a").click()
    page.wait_for_url(
        "**/world/biden-considers-allowing-ukraine-to-use-long-range-missiles-against-russia/"
    )
    assert "Biden Considers" in page.locator("h1").inner_text()


@pytest.mark.parametrize("viewport,label", [(DESKTOP, "desktop"), (PHONE, "phone")])
@pytest.mark.parametrize(
    "path,name",
    [
        ("/", "home"),
        ("/world/", "section"),
        (
            "/world/biden-considers-allowing-ukraine-to-use-long-range-missiles-against-russia/",
            "article",
        ),
        ("/authors/newsdesk-world-desk/", "author"),
        ("/tags/ukraine/", "tag"),
    ],
)
def test_pages_are_accessible_at_both_sizes(demo_site, browser, path, name, viewport, label):
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.goto(demo_site.url + path)
    assert axe_violations(page) == []
    screenshot(page, f"{name}-{label}")
    # Nothing wider than the screen on a phone.
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    assert not overflow
    context.close()


def test_reading_works_without_javascript(demo_site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(
        demo_site.url
        + "/world/biden-considers-allowing-ukraine-to-use-long-range-missiles-against-russia/"
    )
    assert "We are working that out right now." in page.locator(".article-body").inner_text()
    context.close()


def test_site_csp_blocks_injected_inline_script(demo_site, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(demo_site.url + "/")
    errors = []
    page.on("console", lambda message: errors.append(message.text))
    result = page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.__injected = 1'; document.body.append(s);
                   return window.__injected === 1; }"""
    )
    assert result is False
    context.close()
