"""Demo material of the newsroom: a correction and an update on two demo stories, so the
article's corrections box and /corrections/ have something to show. Idempotent."""

from datetime import timedelta

from newsdesk.news.models import ArticlePage, Correction

SEED_SLUG = "biden-considers-allowing-ukraine-to-use-long-range-missiles-against-russia"
DEMO_CORRECTIONS = [
    (
        Correction.Kind.CORRECTION,
        "An earlier version of this story misstated the date of the vote. It was on Tuesday.",
    ),
    (
        Correction.Kind.UPDATE,
        "This story was updated with the minister's response, given after publication.",
    ),
]


def load(stdout, tally, now) -> None:
    # The newest stories after the seed article, which stays exactly as published.
    stories = list(
        ArticlePage.objects.live()
        .exclude(slug=SEED_SLUG)
        .filter(published_at__isnull=False)
        .order_by("-published_at", "-pk")[: len(DEMO_CORRECTIONS)]
    )
    for story, (kind, text) in zip(stories, DEMO_CORRECTIONS, strict=False):
        if Correction.objects.filter(article=story, text=text).exists():
            tally.add("corrections", False)
            continue
        moment = min(now, story.published_at + timedelta(hours=3))
        Correction.objects.create(article=story, kind=kind, text=text, created_at=moment)
        ArticlePage.objects.filter(pk=story.pk, updated_at__lt=moment).update(updated_at=moment)
        tally.add("corrections", True)
