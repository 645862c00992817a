"""Editors tune feeds, robots.txt and social cards in the Wagtail admin; bad input is refused
with a reason and what they typed stays in the form. Pictures get their social sizes when a
story is published and when the demo is loaded."""

import io

import pytest
from django.urls import reverse

from newsdesk.core.testing import soup, text
from newsdesk.news.demo.loader import Tally
from newsdesk.news.factories import ArticlePageFactory
from newsdesk.news.models import NewsRendition
from newsdesk.syndication import images
from newsdesk.syndication.demo import social_renditions_for_demo
from newsdesk.syndication.models import SyndicationSettings

pytestmark = pytest.mark.django_db


def edit_url() -> str:
    config = SyndicationSettings.load()
    return reverse("wagtailsettings:edit", args=["syndication", "syndicationsettings", config.pk])


def form_data(**changes) -> dict:
    data = {
        "feed_items": "20",
        "feed_full_content": "on",
        "robots_disallow": "/admin/\n/search/",
        "logo": "",
        "share_image": "",
        "twitter_site": "",
    }
    data.update(changes)
    return data


def test_settings_are_in_the_admin_and_saving_changes_robots(admin_client, client):
    page = admin_client.get(edit_url())
    assert page.status_code == 200
    assert "Feeds and search engines" in page.content.decode()
    response = admin_client.post(
        edit_url(), form_data(robots_disallow="/admin/\n/private/", twitter_site="@desk")
    )
    assert response.status_code == 302
    config = SyndicationSettings.load()
    assert config.disallowed_paths() == ["/admin/", "/private/"]
    assert "Disallow: /private/" in client.get("/robots.txt").content.decode()


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("robots_disallow", "/admin/\nno-slash here", "must be one path starting with “/”"),
        ("twitter_site", "newsdesk", "An account is “@”"),
        ("feed_items", "0", "greater than or equal to 1"),
        ("feed_items", "1000", "less than or equal to 100"),
    ],
)
def test_bad_input_is_refused_with_a_reason_and_kept(admin_client, field, value, message):
    response = admin_client.post(edit_url(), form_data(**{field: value}))
    assert response.status_code == 200
    page = soup(response.content)
    assert message in text(page)
    typed = page.find(attrs={"name": field})
    assert (typed.get("value") or typed.text).strip() == value.strip()
    assert getattr(SyndicationSettings.load(), field) != value


def test_publishing_a_story_makes_its_social_picture_sizes(
    newsroom, django_capture_on_commit_callbacks
):
    from wagtail.images.tests.utils import get_test_image_file

    from newsdesk.news.models import NewsImage

    picture = NewsImage.objects.create(
        title="Quay", description="A quay.", file=get_test_image_file(size=(1000, 800))
    )
    story = ArticlePageFactory(parent=newsroom["world"], live=False, featured_image=picture)
    assert not NewsRendition.objects.filter(image=picture).exists()
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()  # the task is queued on commit; it runs at once here
    made = set(NewsRendition.objects.filter(image=picture).values_list("filter_spec", flat=True))
    assert made == set(images.ARTICLE_RENDITIONS.values())


def test_the_demo_hook_makes_social_sizes_once(newsroom):
    NewsRendition.objects.all().delete()
    first, second = Tally(), Tally()
    social_renditions_for_demo(io.StringIO(), first)
    social_renditions_for_demo(io.StringIO(), second)
    assert first.created == {"social picture sizes": 1}
    assert second.found == {"social picture sizes": 1} and not second.created
    assert NewsRendition.objects.count() == len(images.ARTICLE_RENDITIONS)
