"""The demo loader: realistic spread, idempotent, never touches an editor's changes."""

from datetime import timedelta
from io import StringIO

import pytest
from django.utils import timezone
from wagtail.models import Revision

from newsdesk.news.demo.loader import DemoLoader
from newsdesk.news.models import ArticlePage, Author, NewsImage, SectionPage


def counts():
    return {
        "articles": ArticlePage.objects.count(),
        "sections": SectionPage.objects.count(),
        "authors": Author.objects.count(),
        "images": NewsImage.objects.count(),
        "revisions": Revision.objects.count(),
    }


@pytest.mark.django_db
def test_demo_content_is_realistic_and_loading_twice_changes_nothing():
    DemoLoader(StringIO(), per_section=36).run()
    first = counts()
    assert first["articles"] >= 201
    assert sorted(SectionPage.objects.values_list("title", flat=True)) == sorted(
        ["World", "Politics", "Business", "Technology", "Science", "Opinion"]
    )

    generated = ArticlePage.objects.exclude(slug__startswith="biden-considers")
    per_section = {s.title: generated.filter(section=s).count() for s in SectionPage.objects.all()}
    assert all(count >= 30 for count in per_section.values()), per_section
    now = timezone.now()
    dates = sorted(generated.values_list("published_at", flat=True))
    assert now - dates[0] <= timedelta(days=90)
    assert now - dates[0] >= timedelta(days=45)  # spread over the period, not bunched
    assert now - dates[-1] <= timedelta(days=3)
    lengths = {len(page.body) for page in generated}
    assert len(lengths) >= 5  # varied lengths
    with_two_bylines = [p for p in generated.prefetch_related("bylines") if p.bylines.count() > 1]
    assert with_two_bylines
    assert all(page.tags.exists() for page in generated[:20])

    # An editor changes a story; the loader must leave it alone.
    story = generated.first()
    story.title = "Edited by the newsroom"
    story.save_revision().publish()
    edited = counts()

    out = StringIO()
    tally = DemoLoader(out, per_section=36).run()
    assert counts() == edited
    assert sum(tally.created.values()) == 0
    assert ArticlePage.objects.get(pk=story.pk).title == "Edited by the newsroom"


@pytest.mark.django_db
def test_dry_run_writes_nothing():
    before = counts()
    tally = DemoLoader(StringIO(), per_section=2, dry_run=True).run()
    assert counts() == before
    assert tally.created["stories"] == 13
