"""What readers see of the newsroom, on a real server: /corrections/, the corrections box and the
breaking-news banner are valid HTML (W3C Nu checker), accessible (axe-core in Chromium), under
the site's Content-Security-Policy and readable without JavaScript."""

import pytest

from newsdesk.core import testing
from newsdesk.core.testing import axe_violations, screenshot, soup, text, validate_html

SETUP = """
from datetime import timedelta
from django.utils import timezone
from newsdesk.editorial.models import BreakingNews
from newsdesk.news.factories import ArticlePageFactory, AuthorFactory, SectionPageFactory
from newsdesk.news.models import Correction
world = SectionPageFactory(title='World', slug='world'); world.save_revision().publish()
author = AuthorFactory(name='Rita Reporter', slug='rita-reporter')
story = ArticlePageFactory(parent=world, title='Harbour wall breached', slug='harbour',
                           authors=[author])
Correction.objects.create(article=story, text='The wall is 300 years old, not 200.')
Correction.objects.create(article=story, kind='update', text='Residents may now return.')
for number in range(3):
    other = ArticlePageFactory(parent=world, title=f'Story {number}', slug=f'story-{number}',
                               authors=[author])
    Correction.objects.create(article=other, text=f'Correction number {number}.')
BreakingNews.objects.create(article=story, headline='Harbour wall breached: homes evacuated',
                            ends_at=timezone.now() + timedelta(hours=2))
"""


@pytest.fixture(scope="module")
def newsroom_site(tmp_path_factory):
    from newsdesk.conftest import live_site_env

    env = live_site_env(tmp_path_factory, "editorial-public")
    env["NEWSDESK_PAGE_SIZE"] = "2"
    testing.newsdesk(env, "migrate", "--noinput")
    testing.newsdesk(env, "collectstatic", "--noinput", "--verbosity", "0")
    testing.newsdesk(env, "shell", "-c", SETUP)
    url, process = testing.start_server(env)
    yield testing.LiveSite(url=url, env=env, data_dir=None, process=process)
    testing.stop(process)


PATHS = ["/corrections/", "/corrections/?page=2", "/world/harbour/", "/"]


def test_pages_are_valid_html_with_the_banner_and_corrections(newsroom_site):
    documents = {}
    for path in PATHS:
        status, headers, html = newsroom_site.get(path)
        assert status == 200, path
        assert "'unsafe-inline'" not in headers["Content-Security-Policy"].split("script-src")[1]
        documents[path] = html
        page = soup(html)
        banner = page.select_one("aside.breaking-news")
        assert text(banner) == "Breaking Harbour wall breached: homes evacuated", path
        assert banner.a["href"] == "/world/harbour/"
        footer_links = {text(a): a["href"] for a in page.select("footer.site-footer a")}
        assert footer_links["Corrections and updates"] == "/corrections/"
    assert validate_html(documents) == []
    corrections = soup(documents["/corrections/"])
    assert len(corrections.select(".correction-item")) == 2
    assert corrections.select_one('a[rel="next"]')["href"] == "?page=2"
    article = soup(documents["/world/harbour/"])
    assert [text(li) for li in article.select(".corrections li")][1].startswith("Update, ")


@pytest.mark.browser
@pytest.mark.parametrize("javascript", [True, False])
def test_pages_are_accessible_and_readable(newsroom_site, browser, javascript):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, bypass_csp=True, java_script_enabled=javascript
    )
    try:
        page = context.new_page()
        for path in PATHS:
            page.goto(newsroom_site.url + path)
            banner = page.get_by_role("complementary", name="Breaking news")
            assert banner.get_by_role("link").inner_text() == (
                "Harbour wall breached: homes evacuated"
            )
            if javascript:
                assert axe_violations(page) == [], path
        page.goto(newsroom_site.url + "/corrections/")
        assert page.get_by_role("heading", level=1).inner_text() == "Corrections and updates"
        screenshot(page, f"editorial-corrections-{'js' if javascript else 'nojs'}")
        page.get_by_role("link", name="Older corrections").click()
        page.wait_for_url("**/corrections/?page=2")
        page.get_by_role("link", name="Story 0").click()
        page.wait_for_url("**/world/story-0/#correction-*")
        assert page.locator(".corrections li").inner_text().startswith("Correction, ")
    finally:
        context.close()
