"""`newsdesk generate`: a valid Wagtail tree built with bulk inserts, idempotent, browsable."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
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


def test_a_steady_rate_publishes_alike_at_any_size_oldest_first():
    """``per_day``: the stories follow one another at that rate up to the present, page keys in
    publication order, so a larger site differs only in the depth of its archive."""
    now = timezone.now()
    SiteGenerator(StringIO(), 96, batch=40, per_day=24).run()
    dates = list(ArticlePage.objects.order_by("pk").values_list("published_at", flat=True))
    assert len(dates) == 96
    assert dates == sorted(dates)  # keys grow with publication time
    assert now - dates[-1] <= timedelta(hours=1)  # the newest is at most one slot old
    assert timedelta(days=3, hours=23) <= now - dates[0] <= timedelta(days=4)
    for day in range(3):  # 24 stories in each of the last three days
        window = [
            d for d in dates if now - timedelta(days=day + 1) < d <= now - timedelta(days=day)
        ]
        assert len(window) == 24, day

    SiteGenerator(StringIO(), 120, per_day=24).run()  # a top-up's stories end at the present
    added = list(ArticlePage.objects.order_by("pk").values_list("published_at", flat=True)[96:])
    assert len(added) == 24
    assert added == sorted(added)
    assert now - added[-1] <= timedelta(hours=1)
    assert timedelta(hours=23) <= timezone.now() - added[0] <= timedelta(days=1, minutes=1)
    assert Page.find_problems() == ([], [], [], [], [])


def test_the_default_spreads_any_size_over_ten_years():
    now = timezone.now()
    SiteGenerator(StringIO(), 200).run()
    dates = ArticlePage.objects.values_list("published_at", flat=True)
    assert all(now - timedelta(days=3650, minutes=1) <= d <= now for d in dates)
    assert max(now - d for d in dates) > timedelta(days=365)


def test_the_command_takes_a_rate_or_a_span_not_both():
    out = StringIO()
    call_command("generate", "--articles", "30", "--per-day", "10", stdout=out)
    assert ArticlePage.objects.count() == 30
    oldest = ArticlePage.objects.order_by("published_at").first().published_at
    assert timedelta(days=2, hours=23) <= timezone.now() - oldest <= timedelta(days=3, minutes=1)
    for arguments in (["--per-day", "0"], ["--per-day", "10", "--days", "30"]):
        with pytest.raises(CommandError, match="--per-day"):
            call_command("generate", "--articles", "40", *arguments, stdout=StringIO())
    assert ArticlePage.objects.count() == 30
