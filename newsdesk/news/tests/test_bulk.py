"""`newsdesk generate`: a valid Wagtail tree built with bulk inserts, idempotent, browsable."""

from io import StringIO

import pytest
from wagtail.models import Page

from newsdesk.news.bulk import SiteGenerator, decode_step, encode_step
from newsdesk.news.models import ArticlePage, SectionPage

pytestmark = pytest.mark.django_db


def test_steps_round_trip():
    for number in [1, 35, 36, 1295, 1_679_615]:
        assert decode_step(encode_step(number)) == number
    with pytest.raises(ValueError):
        encode_step(1_679_616)


def test_generated_site_is_a_valid_tree_and_every_page_type_renders(client):
    result = SiteGenerator(StringIO(), 300, batch=70).run()
    assert result == {"existing": 0, "created": 300, "total": 300}
    assert Page.find_problems() == ([], [], [], [], [])
    assert ArticlePage.objects.count() == 300
    sections = list(SectionPage.objects.all())
    assert len(sections) == 6
    assert sum(s.numchild for s in SectionPage.objects.all()) == 300
    story = ArticlePage.objects.listing().first()
    assert story.authors() and story.tags.exists() and story.published_at
    for path in [
        "/",
        sections[0].url,
        sections[0].url + "?page=2",
        story.url,
        story.authors()[0].get_absolute_url(),
        f"/tags/{story.tags.first().slug}/",
    ]:
        assert client.get(path).status_code == 200, path

    again = SiteGenerator(StringIO(), 300).run()
    assert again["created"] == 0
    more = SiteGenerator(StringIO(), 320).run()
    assert more == {"existing": 300, "created": 20, "total": 320}
    assert Page.find_problems() == ([], [], [], [], [])
