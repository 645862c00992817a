"""The breaking-news banner, fresh on cached pages too.

The banner is a fragment (``newsdesk.core.fragments``): the page cache renders it again on
every hit, so a stored page shows a banner created after it was stored and stops showing one
the moment it ends, without purging the whole site when traffic peaks on a breaking story.
Rendering it reads one key of the shared cache; the key holds the alerts still to end, and is
deleted whenever an alert or a published article changes.
"""

import time

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone

CACHE_KEY = "editorial:breaking:v1"
# Longest a process trusts the list without asking the database (a safety net only: every
# change deletes the key at once).
CACHE_SECONDS = 300


def upcoming() -> list[dict]:
    """Alerts not yet ended, newest first, as plain data (url, text, end as a timestamp)."""
    alerts = cache.get(CACHE_KEY)
    if alerts is None:
        from .models import BreakingNews

        alerts = [
            {
                "text": alert.banner_text,
                "url": alert.article.get_url(),
                "ends": alert.ends_at.timestamp(),
            }
            for alert in BreakingNews.objects.showing()[:5]
        ]
        cache.set(CACHE_KEY, alerts, CACHE_SECONDS)
    return alerts


def current(now: float | None = None) -> dict | None:
    now = timezone.now().timestamp() if now is None else now
    return next((alert for alert in upcoming() if alert["ends"] > now), None)


def forget() -> None:
    cache.delete(CACHE_KEY)


def banner_html(request=None) -> str:
    alert = current(time.time())
    if alert is None:
        return ""
    return render_to_string("editorial/includes/breaking_banner.html", {"alert": alert})
