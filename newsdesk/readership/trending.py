"""The reader-facing Trending list: a fragment (``newsdesk.core.fragments``) that the page cache
re-renders on every hit, itself cached for at most :data:`TRENDING_SECONDS`."""

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from newsdesk.core import fragments
from newsdesk.news.models import SectionPage

from . import ranking

TRENDING_SECONDS = 60
TRENDING_KEY = "readership:trending:"


def scope_id(section) -> int | None:
    try:
        return int(section) if section not in (None, "") else None
    except (TypeError, ValueError):
        return None


def cache_key(section=None) -> str:
    section_id = scope_id(section)
    return TRENDING_KEY + (str(section_id) if section_id else "site")


@fragments.reads(lambda section=None: [cache_key(section)])
def fragment(request, section=None):
    """Top five site-wide, or in one section; shared by every page that shows it."""
    section_id = scope_id(section)
    key = cache_key(section)
    html = fragments.cache_get(request, key)
    if html is None:
        section_page = (
            SectionPage.objects.filter(pk=section_id).first() if section_id is not None else None
        )
        html = render(section_page, ranking.trending(section_page.pk if section_page else None))
        cache.set(key, html, TRENDING_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered from our own template


def render(section_page, trending) -> str:
    return render_to_string(
        "readership/trending.html",
        {
            "trending": trending,
            "section": section_page,
            "scope": f"section-{section_page.pk}" if section_page else "site",
        },
    )


def refresh_all(now=None) -> int:
    """Render every list (site-wide and each section's) from one ranking pass and store them,
    so readers find them ready: the ranking reads every recent story's hourly rows (over a
    second at a million stories, BENCHMARKS.md), which no reader should wait for. Run by the
    worker every :data:`TRENDING_SECONDS`; a reader computes a list only when it is missing
    (just after a publish or unpublish dropped it, or before the worker's first run)."""
    ranked = ranking.scores_by_scope(now=now)
    sections = [None, *SectionPage.objects.live().order_by("path")]
    lists = {}
    for section in sections:
        section_id = section.pk if section else None
        trending = ranking.trending(section_id, now=now, ranked=ranked.get(section_id, []))
        lists[TRENDING_KEY + (str(section_id) if section_id else "site")] = render(
            section, trending
        )
    # Kept past the next run, so a slow run never leaves readers to compute a list.
    cache.set_many(lists, TRENDING_SECONDS * 3)
    return len(lists)


def forget(section_ids=()) -> None:
    """Drop cached lists at once (an article in them was unpublished or deleted)."""
    cache.delete_many([TRENDING_KEY + "site", *(TRENDING_KEY + str(pk) for pk in section_ids)])
